# SPDX-License-Identifier: MIT
"""PNG read and write, Python standard library only: 8-bit RGB/RGBA, non-interlaced, filters 0-4.

decode(data) -> Image (width, height, channels, rows: a list of bytes, one per row, unfiltered);
text_chunks(data) -> {keyword: text} of the tEXt chunks; add_text(data, key, text) -> the PNG
with one more tEXt chunk right after IHDR.
"""
import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PNGError(Exception):
    pass


class Image:
    def __init__(self, width, height, channels, rows):
        self.width = width
        self.height = height
        self.channels = channels
        self.rows = rows

    def pixel(self, x, y):
        """The (r, g, b) of one pixel (alpha is dropped)."""
        i = x * self.channels
        return tuple(self.rows[y][i:i + 3])

    def rgb_row(self, y, x0=0, x1=None):
        """Row y from x0 to x1 as RGB bytes (3 per pixel)."""
        x1 = self.width if x1 is None else x1
        c = self.channels
        row = self.rows[y][x0 * c:x1 * c]
        if c == 3:
            return bytes(row)
        out = bytearray(len(row) // 4 * 3)
        out[0::3] = row[0::4]
        out[1::3] = row[1::4]
        out[2::3] = row[2::4]
        return bytes(out)


def chunks(data):
    """(type, body) of each chunk, checking the signature, the lengths and the CRCs."""
    if data[:8] != SIGNATURE:
        raise PNGError("not a PNG (bad signature)")
    pos = 8
    out = []
    while pos < len(data):
        if pos + 8 > len(data):
            raise PNGError("truncated chunk header")
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if len(body) != n or pos + 12 + n > len(data):
            raise PNGError("truncated chunk %r" % kind)
        crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        if zlib.crc32(kind + body) != crc:
            raise PNGError("bad CRC in chunk %r" % kind)
        out.append((kind, body))
        pos += 12 + n
        if kind == b"IEND":
            break
    return out


def _paeth_row(cur, prev, bpp):
    # Pure Python, byte by byte: the slowest filter, so kept apart.
    for i in range(len(cur)):
        a = cur[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        p = a + b - c
        pa = abs(p - a)
        pb = abs(p - b)
        pc = abs(p - c)
        if pa <= pb and pa <= pc:
            pred = a
        elif pb <= pc:
            pred = b
        else:
            pred = c
        cur[i] = (cur[i] + pred) & 0xFF


_LOW = {}


def _add_bytes(a, b):
    """a + b byte by byte, modulo 256 (both the same length): the Up filter, on whole rows."""
    n = len(a)
    if n == 0:
        return bytearray()
    if n not in _LOW:
        _LOW[n] = (int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big"))
    low, high = _LOW[n]
    x = int.from_bytes(a, "big")
    y = int.from_bytes(b, "big")
    s = ((x & low) + (y & low)) ^ ((x ^ y) & high)
    return bytearray(s.to_bytes(n, "big"))


def decode(data):
    """The pixels of an 8-bit RGB or RGBA non-interlaced PNG; PNGError on anything else."""
    ihdr = None
    idat = []
    for kind, body in chunks(data):
        if kind == b"IHDR":
            ihdr = body
        elif kind == b"IDAT":
            idat.append(body)
    if ihdr is None or len(ihdr) != 13:
        raise PNGError("no IHDR")
    width, height, depth, color, comp, filt, interlace = struct.unpack(">IIBBBBB", ihdr)
    if depth != 8 or color not in (2, 6) or comp != 0 or filt != 0 or interlace != 0:
        raise PNGError("unsupported PNG: depth %d colour type %d interlace %d" % (depth, color, interlace))
    channels = 3 if color == 2 else 4
    stride = width * channels
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        raise PNGError("IDAT: %s" % e) from None
    if len(raw) < height * (stride + 1):
        raise PNGError("IDAT holds %d bytes, %d expected" % (len(raw), height * (stride + 1)))
    rows = []
    prev = bytearray(stride)
    bpp = channels
    for y in range(height):
        start = y * (stride + 1)
        ftype = raw[start]
        cur = bytearray(raw[start + 1:start + 1 + stride])
        if ftype == 0:
            pass
        elif ftype == 1:
            for i in range(bpp, stride):
                cur[i] = (cur[i] + cur[i - bpp]) & 0xFF
        elif ftype == 2:
            cur = _add_bytes(cur, prev)
        elif ftype == 3:
            for i in range(stride):
                left = cur[i - bpp] if i >= bpp else 0
                cur[i] = (cur[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            _paeth_row(cur, prev, bpp)
        else:
            raise PNGError("row %d: unknown filter type %d" % (y, ftype))
        rows.append(cur)
        prev = cur
    return Image(width, height, channels, rows)


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def text_chunks(data):
    """{keyword: text} of every tEXt chunk (Latin-1)."""
    out = {}
    for kind, body in chunks(data):
        if kind == b"tEXt" and b"\0" in body:
            key, text = body.split(b"\0", 1)
            out[key.decode("latin-1")] = text.decode("latin-1")
    return out


def add_text(data, key, text):
    """The PNG data with a tEXt chunk key=text inserted after IHDR (replacing one of that key)."""
    out = [SIGNATURE]
    for kind, body in chunks(data):
        if kind == b"tEXt" and body.split(b"\0", 1)[0] == key.encode("latin-1"):
            continue
        out.append(_chunk(kind, body))
        if kind == b"IHDR":
            out.append(_chunk(b"tEXt", key.encode("latin-1") + b"\0" + text.encode("latin-1")))
    return b"".join(out)


def encode(width, height, rows, channels=3):
    """An 8-bit RGB (or RGBA) PNG of the rows (bytes each), filter 0 (used by the tests' fixtures)."""
    color = 2 if channels == 3 else 6
    raw = b"".join(b"\0" + bytes(r) for r in rows)
    return (SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))
