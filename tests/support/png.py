"""A PNG decoder small enough to check pixels of rendered charts (8-bit RGB/RGBA)."""

import struct
import zlib

import numpy as np


def decode_png(data: bytes) -> np.ndarray:
    """8-bit RGB/RGBA PNG to an (h, w, channels) array; enough for vl-convert output."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos : pos + 4]), data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0
    channels = 4 if color == 6 else 3
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), np.uint8).reshape(
        height, 1 + width * channels
    )
    out = np.zeros((height, width * channels), np.int32)
    prev = np.zeros(width * channels, np.int32)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if kind == 1:  # Sub: running sum per channel
            line = np.cumsum(line.reshape(width, channels), axis=0).reshape(-1) % 256
        elif kind == 2:  # Up
            line = (line + prev) % 256
        elif kind in (3, 4):  # Average, Paeth: depend on the decoded left pixel
            line = line.copy()
            for x in range(0, width * channels, channels):
                left = line[x - channels : x] if x else np.zeros(channels, np.int32)
                up = prev[x : x + channels]
                if kind == 3:
                    pred = (left + up) // 2
                else:
                    corner = prev[x - channels : x] if x else np.zeros(channels, np.int32)
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, corner))
                line[x : x + channels] = (line[x : x + channels] + pred) % 256
        out[y] = prev = line
    return out.reshape(height, width, channels)
