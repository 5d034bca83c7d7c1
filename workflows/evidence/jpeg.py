"""A JPEG photo's metadata dropped without decoding it: the file is rebuilt from its coding
segments alone (quantisation and Huffman tables, frame and scan headers, the scans' data), so
the picture is the camera's, pixel for pixel, and nothing else of the file remains — no EXIF
(GPS position, phone, time), XMP, ICC, IPTC, comments, thumbnails or bytes after the end.

Only files where that is provably the same picture take this path; for anything else (a
rotation the EXIF asks for, colours an Adobe segment defines, arithmetic or lossless coding, a
structure that does not parse) `cleaned_jpeg` answers None and the file is decoded and
re-encoded under the budget of `workflows.evidence.sandbox`, as every image was before. Pure
Python over at most `checks.MAX_JPEG_MARKERS` segments, each bounded by its 16-bit length: no
decoder runs, so nothing here can be made to take long.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

# Segments that define the picture, copied as they are: quantisation tables, Huffman tables,
# the restart interval, the frame header (baseline, extended sequential, progressive).
CODING_SEGMENTS = frozenset({0xDB, 0xC4, 0xDD, 0xC0, 0xC1, 0xC2})
FRAMES = frozenset({0xC0, 0xC1, 0xC2})
START_OF_SCAN, END_OF_IMAGE = 0xDA, 0xD9
APP0, APP1, APP14, COMMENT = 0xE0, 0xE1, 0xEE, 0xFE
# Written in place of whatever APP0 the file had: JFIF 1.01, no density, no thumbnail.
JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
# Component ids a decoder reads as YCbCr without a JFIF segment (JFIF says YCbCr outright).
YCBCR_IDS = (1, 2, 3)
ORIENTATION_TAG = 0x0112
# In the scans' data a 0xFF byte is followed by 0x00 (a stuffed byte) or a restart marker;
# anything else ends the scan.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")


@dataclass(frozen=True)
class CleanJpeg:
    content: bytes
    width: int
    height: int


def cleaned_jpeg(received: bytes) -> CleanJpeg | None:
    """The same picture without metadata, or None where that cannot be shown (decode and
    re-encode it instead)."""
    try:
        return _rebuilt(received)
    except (IndexError, struct.error):  # a length pointing past the end of the file
        return None


def _rebuilt(received: bytes) -> CleanJpeg | None:
    if not received.startswith(b"\xff\xd8"):
        return None
    kept: list[bytes] = []
    had_jfif = scanned = False
    frame: bytes | None = None
    position = 2
    while position < len(received):
        if received[position] != 0xFF:
            return None
        while received[position] == 0xFF:  # fill bytes may precede a marker
            position += 1
        marker = received[position]
        position += 1
        if marker == END_OF_IMAGE:
            if frame is None or not scanned:
                return None
            return _assembled(kept, frame, had_jfif)
        (length,) = struct.unpack(">H", received[position:position + 2])
        segment_end = position + length
        if length < 2 or segment_end > len(received):
            return None
        segment = received[position - 2:segment_end]
        position = segment_end
        if marker == START_OF_SCAN:
            if frame is None:
                return None
            scan_end = _SCAN_END.search(received, position)
            if scan_end is None:
                return None  # cut short: no end marker
            kept.append(segment + received[position:scan_end.start()])
            position, scanned = scan_end.start(), True
        elif marker in CODING_SEGMENTS:
            if marker in FRAMES:
                if frame is not None:
                    return None
                frame = segment
            kept.append(segment)
        elif marker == APP0:
            had_jfif = had_jfif or segment[4:9] == b"JFIF\x00"
        elif marker == APP1:
            if segment[4:10] == b"Exif\x00\x00" and _orientation(segment[10:]) not in (None, 1):
                return None  # the picture must be turned upright: re-encode it
        elif marker == APP14:
            return None  # Adobe's colour transform changes how the picture decodes
        elif not (0xE2 <= marker <= 0xEF or marker == COMMENT):
            return None  # arithmetic or lossless coding, DNL, a stray marker: not proven
    return None


def _assembled(kept: list[bytes], frame: bytes, had_jfif: bool) -> CleanJpeg | None:
    height, width, components = struct.unpack(">HHB", frame[5:10])
    ids = tuple(frame[10 + 3 * index] for index in range(components))
    if width == 0 or height == 0 or len(frame) != 10 + 3 * components:
        return None
    # A JFIF segment makes three components YCbCr: only where they already were.
    if components not in (1, 3) or (components == 3 and not had_jfif and ids != YCBCR_IDS):
        return None
    content = b"".join((b"\xff\xd8", JFIF, *kept, b"\xff\xd9"))
    return CleanJpeg(content, width, height)


def _orientation(tiff: bytes) -> int | None:
    """EXIF's orientation tag in the first image directory (None: absent or unreadable)."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    (first,) = struct.unpack(order + "I", tiff[4:8])
    (entries,) = struct.unpack(order + "H", tiff[first:first + 2])
    for index in range(entries):
        start = first + 2 + 12 * index
        tag, kind, _count = struct.unpack(order + "HHI", tiff[start:start + 8])
        if tag == ORIENTATION_TAG:
            return int(struct.unpack(order + "H", tiff[start + 8:start + 10])[0]) if kind == 3 \
                else -1
    return None
