#!/usr/bin/perl
# What FixMyStreet does when a body's send method is Open311, written after mysociety/fixmystreet's
# perllib/Open311.pm (_request, _get_xml_object, send_service_request,
# _populate_service_request_params, get_service_meta_info, get_service_requests,
# get_service_request_updates, post_service_request_update,
# _populate_service_request_update_params), perllib/Open311/PopulateServiceList.pm and
# perllib/Open311/GetServiceRequestUpdates.pm + UpdatesBase.pm (check_date, map_state), with the
# same Perl modules: LWP, HTTP::Request::Common, XML::Simple with FixMyStreet's options, and
# DateTime::Format::W3CDTF. Only the database and the cobrand hooks are left out.
#
# Usage: open311_client.pl ENDPOINT JURISDICTION API_KEY COMMAND [ARG ...]
#   services                  the service list, then each definition (as PopulateServiceList)
#   send PROBLEM.json         one report, as send_service_request; prints the external id
#   requests START END        get_service_requests in a window (W3CDTF)
#   updates START END         get_service_request_updates, each update checked as FixMyStreet does
#   update COMMENT.json       one citizen's update, as post_service_request_update; prints its id
# Every command prints one JSON object.
use strict;
use warnings;
use utf8;

use DateTime;
use DateTime::Format::W3CDTF;
use Encode;
use HTTP::Request::Common qw(GET POST);
use JSON::PP;
use LWP::UserAgent;
use URI;
use XML::Simple;

my ($endpoint, $jurisdiction, $api_key, $command, @args) = @ARGV;
my $json = JSON::PP->new->utf8->canonical;
my %last;    # the last request's outcome, as Open311.pm keeps it in success/error

# Open311.pm: _get_xml_object, verbatim options.
sub get_xml_object {
    my $xml = shift;
    my $group_tags = {
        services => 'service',
        attributes => 'attribute',
        values => 'value',
        service_requests => 'request',
        errors => 'error',
        service_request_updates => 'request_update',
        groups => 'group',
    };
    my $simple = XML::Simple->new(
        ForceArray => [ values %$group_tags ],
        KeyAttr => {},
        GroupTags => $group_tags,
        SuppressEmpty => undef,
    );
    my $obj = eval { $simple->parse_string($xml); };
    return $obj;
}

# Open311.pm: _process_error.
sub process_error {
    my $error = shift;
    my $obj = get_xml_object($error);
    my $msg = '';
    if ( ref $obj && exists $obj->{error} ) {
        for ( @{ $obj->{error} } ) {
            my $code = $_->{code} || '???';
            my $desc = $_->{description} || 'unknown error';
            $msg .= sprintf( "%s: %s\n", $code, $desc );
        }
    }
    return $msg || 'unknown error';
}

# Open311.pm: _request (GET params in the query, POST params in an urlencoded body; the
# api_key added to a POST only; every value UTF-8 encoded).
sub request {
    my ( $method, $path, $params ) = @_;
    my $uri = URI->new($endpoint);
    $uri->path( $uri->path . $path );
    $params->{jurisdiction_id} = $jurisdiction if $jurisdiction;
    $params->{api_key} = ( $api_key || '' ) if $method eq 'POST' && $api_key;
    for ( keys %$params ) {
        $params->{$_} = encode( 'UTF-8', $params->{$_} ) if defined $params->{$_};
    }
    my $ua = LWP::UserAgent->new( timeout => 300 );
    my $req;
    if ( $method eq 'GET' ) {
        $uri->query_form($params);
        $req = GET $uri->as_string;
    } else {
        $req = POST $uri->as_string, $params;
    }
    my $res = $ua->request($req);
    %last = ( status => $res->code );
    if ( $res->is_success ) {
        $last{success} = 1;
        return $res->decoded_content;
    }
    $last{success} = 0;
    $last{error} = sprintf( "request failed: %s\nerror: %s\n", $res->status_line,
        process_error( $res->decoded_content ) );
    return;
}

# PopulateServiceList: the services, and for each with metadata its attributes, sorted by order,
# the first colon of each description removed (get_service_meta_info).
sub services {
    my $list = get_xml_object( request( 'GET', 'services.xml', {} ) // '' );
    die "no services\n" unless ref $list && $list->{service};
    my @found;
    for my $service ( @{ $list->{service} } ) {
        next unless defined $service->{service_code};
        ( my $category = $service->{service_name} ) =~ s/\s+$//;
        my %item = ( code => $service->{service_code}, category => $category );
        if ( lc( $service->{metadata} // '' ) eq 'true' ) {
            my $code = $service->{service_code};
            my $meta = get_xml_object( request( 'GET', "services/$code.xml", {} ) // '' );
            die "Empty meta data for $code\n" unless ref $meta->{attributes} eq 'ARRAY';
            $item{attributes} = [ map { $_->{description} =~ s/:\s*//; $_ }
                sort { $a->{order} <=> $b->{order} } @{ $meta->{attributes} } ];
        }
        push @found, \%item;
    }
    return { services => \@found };
}

# Open311.pm: _populate_service_request_params with extended_description and
# always_send_latlong on (SendReport::Open311's defaults), then send_service_request.
sub send_report {
    my $problem = $json->decode( do { local ( @ARGV, $/ ) = shift; <> } );
    my ( $first, $last ) = $problem->{name} =~ /(\S+)(?:\.?\s+(.+))?/;
    my $description = "title: $problem->{title}\n\ndetail: $problem->{detail}\n\n"
        . "url: $problem->{url}\n\nSubmitted via FixMyStreet\n";
    my $params = {
        email => $problem->{email},
        description => $description,
        service_code => $problem->{service_code},
        first_name => $first,
        last_name => $last // '',
        lat => $problem->{lat},
        long => $problem->{long},
        media_url => $problem->{image_url},
    };
    $params->{phone} = $problem->{phone} if $problem->{phone};
    for my $name ( keys %{ $problem->{extra} || {} } ) {
        $params->{"attribute[$name]"} = $problem->{extra}{$name};
    }
    my $response = request( 'POST', 'requests.xml', $params );
    my $obj = get_xml_object( $response // '' );
    if ( $obj && ref $obj->{request} eq 'ARRAY' ) {
        my $request_id = $obj->{request}->[0]->{service_request_id};
        return { external_id => $request_id } if $request_id && !ref $request_id;
    }
    return { failed => 1, status => $last{status}, error => $last{error} // ( $response // '' ) };
}

sub w3c { DateTime::Format::W3CDTF->new->format_datetime(shift) }

# Open311.pm: get_service_requests; GetServiceRequests reads these fields of each.
sub requests {
    my ( $start, $end ) = @_;
    my $xml = request( 'GET', 'requests.xml', { start_date => $start, end_date => $end } );
    return { failed => 1, error => $last{error} } unless $last{success};
    my $obj = get_xml_object( $xml // '' );    # an empty list parses to undef: no requests
    my @found;
    for my $request ( @{ $obj->{request} || [] } ) {
        next unless defined $request->{service_request_id} && defined $request->{lat}
            && defined $request->{long};
        push @found, { map { $_ => $request->{$_} } qw(service_request_id lat long status
            service_code service_name requested_datetime updated_datetime description media_url) };
    }
    return { requests => \@found };
}

# UpdatesBase: map_state.
sub map_state {
    my $incoming_state = lc(shift);
    $incoming_state =~ s/_/ /g;
    my %state_map = (
        fixed => 'fixed - council',
        'not councils responsibility' => 'not responsible',
        'no further action' => 'unable to fix',
        open => 'confirmed',
        closed => 'fixed - council',
    );
    return $state_map{$incoming_state} || $incoming_state;
}

# Open311.pm: get_service_request_updates (the api_key always in the query), then each update
# as GetServiceRequestUpdates/UpdatesBase take it: an update_id, a service_request_id, an
# updated_datetime W3CDTF parses and that lies inside the window.
sub updates {
    my ( $start, $end ) = @_;
    my $xml = request( 'GET', 'servicerequestupdates.xml',
        { api_key => $api_key || '', start_date => $start, end_date => $end } );
    return { failed => 1, error => $last{error} } unless $last{success};
    my $obj = get_xml_object( $xml // '' );    # an empty list parses to undef: no updates
    my ( @taken, @dropped );
    for my $update ( @{ $obj->{request_update} || [] } ) {
        unless ( defined $update->{update_id} && defined $update->{service_request_id} ) {
            push @dropped, { reason => 'no id' };
            next;
        }
        my $when = eval {
            DateTime::Format::W3CDTF->parse_datetime( $update->{updated_datetime} )
                ->set_time_zone('UTC');
        };
        if ( !$when || w3c($when) lt $start || w3c($when) gt $end ) {
            push @dropped, { update_id => $update->{update_id}, reason => 'date' };
            next;
        }
        push @taken, {
            update_id => $update->{update_id},
            external_id => $update->{service_request_id},
            state => map_state( $update->{status} ),
            external_status_code => $update->{external_status_code},
            text => $update->{description} // '',
            when => w3c($when),
        };
    }
    return { updates => \@taken, dropped => \@dropped };
}

# Open311.pm: _populate_service_request_update_params (extended_statuses on, use_extended_updates
# off), then post_service_request_update: the update's id from request_update/update_id, or
# nothing (FixMyStreet then counts a failure and sends the comment again later).
sub post_update {
    my $comment = $json->decode( do { local ( @ARGV, $/ ) = shift; <> } );
    my ( $firstname, $lastname ) = ( $comment->{name} =~ /(\w+)\.?\s+(.+)/ );
    $lastname ||= '-';
    my %status = ( 'fixed - user' => 'FIXED', 'in progress' => 'IN_PROGRESS',
        'investigating' => 'INVESTIGATING', 'confirmed' => 'OPEN' );
    my $params = {
        updated_datetime => w3c( DateTime->from_epoch( epoch => $comment->{confirmed} ) ),
        service_request_id => $comment->{external_id},
        status => $status{ $comment->{problem_state} } // 'OPEN',
        email => $comment->{email},
        description => $comment->{text},
        last_name => $lastname,
        first_name => $firstname,
        update_id => $comment->{id},
    };
    $params->{media_url} = $comment->{photo_url} if $comment->{photo_url};
    my $response = request( 'POST', 'servicerequestupdates.xml', $params );
    my $obj = get_xml_object( $response // '' );
    if ($obj) {
        my $update = ref $obj->{request_update} eq 'ARRAY' ? $obj->{request_update}[0] : undef;
        my $update_id = $update ? $update->{update_id} : undef;
        return { update_id => $update_id } if defined $update_id && !ref $update_id;
    }
    return { failed => 1, status => $last{status}, error => $last{error} // ( $response // '' ) };
}

my %commands = ( services => \&services, send => \&send_report, requests => \&requests,
    updates => \&updates, update => \&post_update );
die "unknown command\n" unless $commands{ $command // '' };
print $json->encode( $commands{$command}->(@args) ), "\n";
