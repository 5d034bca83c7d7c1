"""What citizens send the campaign "Người Việt Nam ưu tiên dùng hàng Việt Nam" that is not a
complaint — suggestions, and Vietnamese products and shops they recommend: for the steering
committee, counted in its reports and published as monthly counts."""
