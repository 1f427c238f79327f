#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the hand-made buffer debug logs (TT_BUFFER_DEBUG_LOG dumps) of
testdata/hand_debug/, and the few allocation-server logs paired with them.

The .log / .gz files next to this script are the test inputs; this script is
how they were written (mojibake separators, CRLF, binary junk, a 10,000-byte
frame, a 500-frame stack and gzip are easier to get right in code than in an
editor).  Every figure the .expect files assert was worked out by hand from
FORMATS.md section 3 and REPORT-SCHEMA.md `debug` -- the derivation is in
each .expect file's comment block -- never by running tt-leakcorr.

Run it from anywhere:   python3 make_logs.py          (rewrites the files)
                        python3 make_logs.py --list  (also prints, for each
                        file, its byte and line counts and the line number of
                        every block title: the line numbers the .expect
                        files quote)
"""

import gzip
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LIST = "--list" in sys.argv[1:]

# ---------------------------------------------------------------- separators
SEP = "═" * 59                                    # U+2550 x 59 (177 bytes)
SEP_MACROMAN = b"\xe2\x80\x9a\xc3\xaf\xc3\xaa" * 59  # "‚ïê" x 59 (FORMATS 5.2)
SEP_CP1252 = b"\xc3\xa2\xe2\x80\xa2\xc2\x90" * 59    # "â•" + U+0090, x 59

TITLES = {
    "A": "BUFFER ALLOCATED",
    "D": "BUFFER DEALLOCATED",
    "X": "BUFFER DESTRUCTOR (still ALLOCATED - will deallocate)",
}

# ---------------------------------------------------------------- frames
TTM = "/opt/tt-metal/build/lib/libtt_metal.so"
TTNN = "/opt/tt-metal/ttnn/ttnn/_ttnn.so"
PY = "/usr/bin/python3.10"

F_CREATE = TTM + ": tt::tt_metal::Buffer::create(tt::tt_metal::IDevice*, unsigned long, unsigned long, tt::tt_metal::BufferType)"
F_ALLOC_DEV = TTNN + ": tt::tt_metal::tensor_impl::allocate_buffer_on_device(tt::tt_metal::IDevice*, tt::tt_metal::TensorSpec const&)"
F_MATMUL = TTNN + ": ttnn::operations::matmul::MatmulOperation::operator()(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&)"
F_CONV = TTNN + ": ttnn::operations::conv::conv2d::Conv2dOperation::invoke(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&)"
F_EMBED = TTNN + ": ttnn::operations::embedding::EmbeddingOperation::invoke(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&)"
F_SOFTMAX = TTNN + ": ttnn::operations::normalization::SoftmaxOperation::invoke(tt::tt_metal::Tensor const&)"
F_PYEVAL = PY + ": _PyEval_EvalFrameDefault"
F_PYCALL = PY + ": _PyObject_MakeTpCall"
F_PYMAIN = PY + ": main"
F_DEALLOC = TTM + ": tt::tt_metal::Buffer::deallocate()"
F_DISPOSE = TTM + ": std::_Sp_counted_ptr_inplace<tt::tt_metal::Buffer, std::allocator<tt::tt_metal::Buffer>, (__gnu_cxx::_Lock_policy)2>::_M_dispose()"
F_SHARED_DTOR = TTM + ": std::shared_ptr<tt::tt_metal::Buffer>::~shared_ptr()"
F_SHARED_EMPLACE = TTM + ": std::__shared_ptr_emplace<tt::tt_metal::Buffer>::__on_zero_shared()"
F_MESH_CREATE = TTM + ": tt::tt_metal::distributed::MeshBuffer::create(tt::tt_metal::distributed::MeshBufferConfig const&, tt::tt_metal::distributed::DeviceLocalBufferConfig const&, tt::tt_metal::distributed::MeshDevice*)"
F_TRACE = TTM + ": tt::tt_metal::detail::EndTraceCapture(tt::tt_metal::IDevice*, unsigned char, unsigned int)"
F_SYSMEM = TTM + ": tt::tt_metal::SystemMemoryManager::SystemMemoryManager(unsigned short, unsigned char)"
F_HIDDEN = TTM + ": "                        # "(+0x...)": empty name, trailing space
F_RAW_MOD = "/lib/x.so() [0x1]"              # no symbol: raw glibc string
F_RAW_ADDR = "[0x7f12]"                      # no module either

FREE_STACK = [F_DEALLOC, F_DISPOSE, F_PYEVAL]
DTOR_STACK = [F_DISPOSE, F_PYEVAL]


def g(x):
    """C++ iostream default float output == printf %g."""
    return "%g" % x


class Log:
    """Lines of one file (str or bytes), with the title line of every block."""

    def __init__(self, sep=SEP):
        self.lines = []
        self.sep = sep
        self.notes = []          # (title line, text) for --list

    def raw(self, *lines):
        self.lines.extend(lines)

    def block(self, kind, ptr, dev=0, addr=0, size=4096, typ="L1", frames=(),
              owns=True, hooked=False, time="14:32:15", drop=(), replace=None,
              title=None, cut_after=None, note=""):
        """Append one block.  drop: field names to leave out ("Buffer*",
        "Call Stack"); replace: {field name: whole replacement line};
        title: replacement title line (a broken block); cut_after: stop the
        file after this many lines of the block (a truncated last block)."""
        replace = replace or {}
        out = [self.sep, TITLES[kind] if title is None else title]
        fields = [
            ("Time", f"Time: {time}"),
            ("Device", f"Device: {dev}"),
            ("Address", f"Address: 0x{addr:x} ({addr})"),
            ("Size", f"Size: {size} bytes ({g(size / 1024)} KB)"),
            ("Type", f"Type: {typ}"),
            ("Buffer*", f"Buffer*: 0x{ptr:x}"),
        ]
        if kind == "A":
            fields += [("Owns Data", "Owns Data: " + ("yes" if owns else "no")),
                       ("Hooked", "Hooked: " + ("yes" if hooked else "no"))]
        for name, text in fields:
            if name in drop:
                continue
            out.append(replace.get(name, text))
        if "Call Stack" not in drop:
            out.append("Call Stack:")
        out += ["    " + f if isinstance(f, str) else b"    " + f for f in frames]
        out.append("")
        if cut_after is not None:
            out = out[:cut_after]
        title_line = len(self.lines) + 2
        self.notes.append((title_line, f"{kind} ptr=0x{ptr:x} dev={dev} addr=0x{addr:x}({addr}) "
                                       f"size={size} type={typ} frames={len(frames)}"
                                       f"{' HOOKED' if hooked else ''} {note}"))
        self.lines.extend(out)
        return title_line


def encode(lines, eol=b"\n", final_newline=True):
    parts = [l.encode("utf-8") if isinstance(l, str) else l for l in lines]
    data = eol.join(parts)
    if final_newline and parts:
        data += eol
    return data


def write(name, data, notes=()):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    if LIST:
        plain = gzip.decompress(data) if name.endswith(".gz") else data
        nlines = plain.count(b"\n") + (0 if plain.endswith(b"\n") or not plain else 1)
        print(f"== {name}: {len(plain)} bytes, {nlines} lines"
              + (f" ({len(data)} compressed)" if name.endswith(".gz") else ""))
        for line, text in notes:
            print(f"   l{line}: {text}")


def write_log(name, log, **kw):
    write(name, encode(log.lines, **kw), log.notes)


BANNER = [
    "🚀 Allocation Server started",
    "   Listening on: /tmp/tt_allocation_server.sock",
    "   Press Ctrl+C to stop",
    "🔄 Background cleanup thread started (checking every 10s)",
]


def write_server(name, lines):
    data = encode(BANNER + lines)
    write(name, data, [(i + 5, l) for i, l in enumerate(lines)])


# ================================================================ reuse_pointer
L = Log()
L.block("A", 0x7f8a4c001230, 0, 0x18862c0, 524288, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], time="14:32:15")
L.block("D", 0x7f8a4c001230, 0, 0x18862c0, 524288, "DRAM", FREE_STACK, time="14:32:16")
L.block("A", 0x7f8a4c001230, 0, 0x1a0000, 65536, "L1", [F_ALLOC_DEV, F_SOFTMAX], time="14:32:16")
L.block("A", 0x7f8a4c0045a0, 0, 0x2000000, 1048576, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], time="14:32:17")
L.block("X", 0x7f8a4c0045a0, 0, 0x2000000, 1048576, "DRAM", DTOR_STACK, time="14:32:18")
L.block("D", 0x7f8a4c0045a0, 0, 0x2000000, 1048576, "DRAM", FREE_STACK, time="14:32:18")
L.block("A", 0x7f8a4c0045a0, 0, 0x2000000, 1048576, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], time="14:32:19")
L.block("A", 0x7f8a4c0078e0, 1, 0x18862c0, 524288, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], time="14:32:19")
write_log("reuse_pointer.log", L)

# ================================================================ unmatched
L = Log()
L.block("X", 0x5601000a0, 0, 0x1a0000, 65536, "L1", DTOR_STACK, note="non-owning view: nothing follows")
L.block("D", 0x5601000b0, 0, 0x1b0000, 4096, "L1", FREE_STACK, note="allocated before the log started")
L.block("A", 0x5601000c0, 0, 0x1c0000, 8192, "L1", [F_ALLOC_DEV, F_CONV])
L.block("D", 0x5601000c0, 0, 0x1c0000, 8192, "L1", FREE_STACK)
L.block("D", 0x5601000c0, 0, 0x1c0000, 8192, "L1", FREE_STACK, note="second DEALLOCATED")
L.block("X", 0x5601000d0, 1, 0x1d0000, 16384, "L1", DTOR_STACK, note="owning, from before the log")
L.block("D", 0x5601000d0, 1, 0x1d0000, 16384, "L1", FREE_STACK, note="same end as the DESTRUCTOR")
L.block("A", 0x5601000e0, 0, 0x1e0000, 2048, "L1", [F_ALLOC_DEV, F_CONV])
L.block("X", 0x5601000e0, 0, 0x1e0000, 2048, "L1", DTOR_STACK)
L.block("X", 0x5601000e0, 0, 0x1e0000, 2048, "L1", DTOR_STACK, note="second DESTRUCTOR")
L.block("D", 0x5601000e0, 0, 0x1e0000, 2048, "L1", FREE_STACK, note="after a DESTRUCTOR")
L.block("A", 0x5601000f0, 0, 0x1f0000, 32768, "L1", [F_ALLOC_DEV, F_EMBED])
L.block("X", 0x5601000f0, 0, 0x1f0000, 32768, "L1", DTOR_STACK)
L.block("A", 0x560100100, 0, 0x200000, 1024, "L1", [F_ALLOC_DEV, F_EMBED], note="between X and D of 0xf0")
L.block("D", 0x5601000f0, 0, 0x1f0000, 32768, "L1", FREE_STACK, note="its previous block is X")
write_log("unmatched.log", L)

# ================================================================ superseded
L = Log()
L.block("A", 0x55d0c0a01000, 0, 0x18b20, 4096, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL], time="09:00:01")
L.block("A", 0x55d0c0a01000, 0, 0x19b20, 8192, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL], time="09:00:05")
L.block("A", 0x55d0c0a01000, 0, 0x18b20, 2048, "L1", [F_ALLOC_DEV, F_EMBED, F_PYEVAL], time="09:00:09")
L.block("D", 0x55d0c0a01000, 0, 0x18b20, 2048, "L1", FREE_STACK, time="09:00:10")
L.block("A", 0x55d0c0a02000, 1, 0x4000000, 1048576, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], time="09:00:11")
L.block("A", 0x55d0c0a02000, 1, 0x4000000, 1048576, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], time="09:01:11")
write_log("superseded.log", L)

# ================================================================ hooked
L = Log()
L.block("A", 0x7f0000001000, 0, 0x0, 2048, "L1", [F_ALLOC_DEV, F_MATMUL], hooked=True)
L.block("A", 0x7f0000002000, 0, 0x0, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL], hooked=True)
L.block("X", 0x7f0000002000, 0, 0x0, 65536, "DRAM", DTOR_STACK)
L.block("D", 0x7f0000002000, 0, 0x0, 65536, "DRAM", FREE_STACK)
L.block("A", 0x7f0000003000, 0, 0x0, 4096, "L1", [F_ALLOC_DEV, F_SOFTMAX], hooked=True)
L.block("A", 0x7f0000003000, 0, 0x30000, 8192, "L1", [F_ALLOC_DEV, F_SOFTMAX], hooked=False)
L.block("A", 0x7f0000004000, 0, 0x40000, 16384, "L1", [F_ALLOC_DEV, F_CONV], hooked=False)
L.block("A", 0x7f0000004000, 0, 0x0, 1024, "L1", [F_ALLOC_DEV, F_CONV], hooked=True)
L.block("A", 0x7f0000005000, 0, 0x0, 512, "L1", [F_ALLOC_DEV, F_EMBED], hooked=True)
L.block("A", 0x7f0000005000, 0, 0x0, 256, "L1", [F_ALLOC_DEV, F_EMBED], hooked=True)
L.block("A", 0x7f0000006000, 0, 0x0, 128, "L1", [F_ALLOC_DEV, F_EMBED], hooked=True)
L.block("D", 0x7f0000006000, 0, 0x0, 128, "L1", FREE_STACK)
write_log("hooked.log", L)

# ================================================================ type_vocab
L = Log()
# patch build: SYSTEM_MEMORY and TRACE both print OTHER
L.block("A", 0x7fa000000100, 0, 0x3e363c80, 12503040, "OTHER", [F_TRACE, F_PYEVAL])
L.block("A", 0x7fa000000200, 0, 0x10000, 4096, "OTHER", [F_SYSMEM, F_PYEVAL])
# merged build: the enum names
L.block("A", 0x7fa000000300, 1, 0x3e363c80, 12503040, "TRACE", [F_TRACE, F_PYEVAL])
L.block("A", 0x7fa000000400, 1, 0x10000, 4096, "SYSTEM_MEMORY", [F_SYSMEM, F_PYEVAL])
L.block("A", 0x7fa000000500, 0, 0x20000, 4096, "L1_SMALL", [F_ALLOC_DEV, F_PYEVAL])
L.block("A", 0x7fa000000600, 0, 0x10000, 4096, "L1", [F_ALLOC_DEV, F_PYEVAL], owns=False)
L.block("A", 0x7fa000000050, 0, 0x10000, 4096, "L1", [F_ALLOC_DEV, F_PYEVAL])
write_log("type_vocab.log", L)

# ================================================================ frame_shapes
L = Log()
EIGHT = [F_CREATE, F_ALLOC_DEV, F_MATMUL, F_HIDDEN, F_PYCALL, F_PYEVAL, F_PYEVAL, F_PYMAIN]
L.block("A", 0x6000a0, 0, 0x100000, 1048576, "DRAM", EIGHT, note="8 frames")
L.block("A", 0x6000b0, 0, 0x200000, 2048, "L1", [], note="0 frames")
L.block("A", 0x6000c0, 0, 0x210000, 4096, "L1", [F_HIDDEN, TTNN + ": "], note="empty names, trailing space")
L.block("A", 0x6000d0, 0, 0x220000, 4096, "L1", [TTM + ":", TTNN + ": "], note="no trailing space on frame 1")
L.block("A", 0x6000e0, 0, 0x230000, 2048, "L1", [F_RAW_MOD, F_RAW_ADDR], note="raw frames")
L.block("A", 0x6000f0, 1, 0x200000, 2048, "L1", [], note="0 frames again")
L.block("A", 0x600100, 1, 0x230000, 2048, "L1", [F_RAW_MOD, F_RAW_ADDR], note="raw frames again")
L.block("A", 0x600110, 0, 0x240000, 1024, "L1", [b"/opt/lib/libcaf\xe9.so: f()"], note="invalid UTF-8 byte in a frame")
write_log("frame_shapes.log", L)

# ================================================================ interleaved
L = Log()
SA1 = [F_ALLOC_DEV, F_MATMUL, F_PYEVAL]
SA2 = [F_ALLOC_DEV, F_SOFTMAX, F_PYEVAL]
L.block("A", 0x55aa00001000, 0, 0x100000, 65536, "DRAM", SA1, time="10:00:00", note="process A")
L.block("A", 0x55bb00001000, 1, 0x100000, 65536, "DRAM", SA1, time="10:00:00", note="process B")
L.block("A", 0x55cc00002000, 0, 0x200000, 32768, "L1", SA2, time="10:00:01", note="process A")
L.block("A", 0x55cc00002000, 1, 0x200000, 32768, "L1", SA2, time="10:00:01", note="process B, same pointer")
L.block("D", 0x55cc00002000, 0, 0x200000, 32768, "L1", FREE_STACK, time="10:00:02", note="process A")
L.block("D", 0x55bb00001000, 1, 0x100000, 65536, "DRAM", FREE_STACK, time="10:00:02", note="process B")
L.block("D", 0x55cc00002000, 1, 0x200000, 32768, "L1", FREE_STACK, time="10:00:02", note="process B")
L.block("A", 0x55dd00003000, 0, 0x300000, 8192, "L1", SA2, time="10:00:03", note="process A")
L.block("A", 0x55ee00003000, 1, 0x300000, 8192, "L1", SA2, time="10:00:03", note="process B")
write_log("interleaved.log", L)

# ================================================================ mojibake
for name, sep in (("mojibake_macroman.log", SEP_MACROMAN), ("mojibake_cp1252.log", SEP_CP1252)):
    L = Log(sep=sep)
    L.block("A", 0x7f1100000010, 0, 0x100000, 262144, "DRAM", [F_ALLOC_DEV, F_EMBED, F_PYEVAL])
    L.block("A", 0x7f1100000020, 0, 0x18b20, 4096, "L1", [F_ALLOC_DEV, F_CONV])
    L.block("A", 0x7f1100000030, 1, 0x18b20, 4096, "L1", [F_ALLOC_DEV, F_CONV])
    L.block("X", 0x7f1100000020, 0, 0x18b20, 4096, "L1", DTOR_STACK)
    L.block("D", 0x7f1100000020, 0, 0x18b20, 4096, "L1", FREE_STACK)
    write_log(name, L)

# ================================================================ crlf
L = Log()
L.block("A", 0x7f2200000010, 0, 0x80000, 131072, "DRAM", [F_HIDDEN, F_ALLOC_DEV, F_PYEVAL])
L.block("A", 0x7f2200000020, 0, 0x90000, 131072, "DRAM", [F_HIDDEN, F_ALLOC_DEV, F_PYEVAL])
L.block("A", 0x7f2200000030, 0, 0xa0000, 4096, "L1", [F_HIDDEN])
L.block("D", 0x7f2200000020, 0, 0x90000, 131072, "DRAM", FREE_STACK)
write_log("crlf.log", L, eol=b"\r\n")

# ================================================================ gzip
L = Log()
L.block("A", 0x7f3300000010, 2, 0x300000, 1048576, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
L.block("A", 0x7f3300000020, 2, 0x20000, 16384, "L1", [F_ALLOC_DEV, F_SOFTMAX, F_PYEVAL])
L.block("D", 0x7f3300000020, 2, 0x20000, 16384, "L1", FREE_STACK)
L.block("A", 0x7f3300000030, 3, 0x300000, 1048576, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
write("gzip.log.gz", gzip.compress(encode(L.lines), compresslevel=9, mtime=0), L.notes)

# ================================================================ truncated_block
L = Log()
L.block("A", 0x7f4400000010, 0, 0x100000, 65536, "DRAM", [F_ALLOC_DEV, F_CONV, F_PYEVAL])
L.block("A", 0x7f4400000020, 0, 0x110000, 8192, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL])
L.block("D", 0x7f4400000010, 0, 0x100000, 65536, "DRAM", FREE_STACK)
# the last block is cut after its second frame (of three): no blank line, no final newline
L.block("A", 0x7f4400000030, 1, 0x120000, 32768, "L1", [F_ALLOC_DEV, F_EMBED, F_PYEVAL], cut_after=13)
write_log("truncated_block.log", L, final_newline=False)

# ================================================================ missing_title
L = Log()
L.block("A", 0x7f5500000010, 0, 0x100000, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL])
L.block("A", 0x7f5500000020, 0, 0x110000, 8192, "L1", [F_ALLOC_DEV, F_CONV],
        title="Time: 11:11:11", drop=("Time",), note="title line lost: dropped")
L.block("A", 0x7f5500000030, 0, 0x120000, 4096, "L1", [F_ALLOC_DEV, F_EMBED],
        title="BUFFER FREED", note="unknown title: dropped")
L.block("D", 0x7f5500000020, 0, 0x110000, 8192, "L1", FREE_STACK)
L.block("A", 0x7f5500000040, 1, 0x100000, 2048, "L1", [F_ALLOC_DEV, F_EMBED])
write_log("missing_title.log", L)

# ================================================================ missing_buffer
L = Log()
L.block("A", 0x7f6600000010, 0, 0x100000, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL])
L.block("A", 0x7f6600000020, 0, 0x110000, 8192, "L1", [F_ALLOC_DEV, F_CONV],
        drop=("Buffer*",), note="no Buffer*: dropped, Call Stack malformed")
L.block("D", 0x7f6600000010, 0, 0x100000, 65536, "DRAM", [],
        drop=("Buffer*", "Call Stack"), note="no Buffer*, no Call Stack: blank malformed")
L.block("A", 0x7f6600000030, 1, 0x120000, 4096, "L1", [F_ALLOC_DEV, F_EMBED])
write_log("missing_buffer.log", L)

# ================================================================ bad_fields
L = Log()
L.block("A", 0x7f7700000010, 0, 0x100000, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL],
        replace={"Device": "Device: x"})
L.block("A", 0x7f7700000020, 0, 0x110000, 8192, "L1", [F_ALLOC_DEV, F_CONV],
        replace={"Address": "Address: 0xZZ (1)"})
L.block("D", 0x7f7700000010, 0, 0x100000, 65536, "DRAM", FREE_STACK)
L.block("X", 0x7f7700000020, 0, 0x110000, 8192, "L1", DTOR_STACK,
        replace={"Address": "Address: 0x1000 (4097)"})
L.block("D", 0x7f7700000020, 0, 0x110000, 8192, "L1", FREE_STACK)
L.block("A", 0x7f7700000030, 0, 0x120000, 4096, "L1", [F_ALLOC_DEV, F_EMBED])
write_log("bad_fields.log", L)

# ================================================================ long_frame
LONG = TTNN + ": " + "ttnn::operations::detail::Op<" * 400
LONG = LONG[:10000]
assert len(LONG) == 10000
MID = TTNN + ": " + "std::tuple<" * 400
MID = MID[:4000]
assert len(MID) == 4000
L = Log()
L.block("A", 0x7f8800000010, 0, 0x100000, 65536, "DRAM", [F_ALLOC_DEV, LONG, F_PYEVAL],
        note="10,000-char frame 2")
L.block("A", 0x7f8800000020, 0, 0x110000, 65536, "DRAM", [F_ALLOC_DEV, F_PYEVAL])
L.block("A", 0x7f8800000030, 0, 0x120000, 4096, "L1", [F_ALLOC_DEV, MID, F_PYEVAL],
        note="4,000-char frame 2")
write_log("long_frame.log", L)

# ================================================================ deep_stack
DEEP = [F"{TTNN}: ttnn::recurse_level_{i}(int)" for i in range(1, 501)]
L = Log()
L.block("A", 0x7f9900000010, 0, 0x100000, 131072, "DRAM", DEEP, note="500 frames")
L.block("A", 0x7f9900000020, 1, 0x100000, 131072, "DRAM", DEEP[:8], note="the same first 8")
L.block("A", 0x7f9900000030, 0, 0x200000, 4096, "L1", DEEP[:7], note="7 of them")
write_log("deep_stack.log", L)

# ================================================================ binary_junk
L = Log()
L.block("A", 0x7faa00000010, 0, 0x100000, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL])
L.raw(b"\x00\x01\x02PK\x03\x04junk", b"garbage \xff\xfe tail", b"\x1b[0m\x07bell",
      "2024-05-01 12:00:00.123 | INFO | ttnn | program cache hit (program_cache.cpp:42)",
      "\tindented with a tab",
      "[TT-Metal] Buffer debug logging enabled -> /tmp/tt_buffer_debug.log")
L.block("A", 0x7faa00000020, 0, 0x110000, 8192, "L1", [F_ALLOC_DEV, F_CONV])
L.block("D", 0x7faa00000010, 0, 0x100000, 65536, "DRAM", FREE_STACK)
write_log("binary_junk.log", L)

# ================================================================ stack_depth
L = Log()
L.block("A", 0x7fbb00000010, 0, 0x100000, 65536, "DRAM", [F_CREATE, F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
L.block("A", 0x7fbb00000020, 0, 0x110000, 65536, "DRAM", [F_CREATE, F_ALLOC_DEV, F_CONV, F_PYEVAL])
L.block("A", 0x7fbb00000030, 0, 0x120000, 16384, "L1", [F_CREATE, F_ALLOC_DEV])
L.block("A", 0x7fbb00000040, 0, 0x130000, 65536, "DRAM", [F_CREATE, F_MESH_CREATE, F_PYEVAL])
L.block("A", 0x7fbb00000050, 0, 0x140000, 4096, "L1", [F_CREATE])
L.block("A", 0x7fbb00000060, 0, 0x150000, 2048, "L1", [])
L.block("A", 0x7fbb00000070, 0, 0x160000, 1024, "L1", [F_CREATE, F_ALLOC_DEV, F_SOFTMAX], hooked=True)
write_log("stack_depth.log", L)

# ================================================================ skip_frames / skip_then_depth
for name in ("skip_frames.log", "skip_then_depth.log"):
    L = Log()
    L.block("A", 0x7fcc00000010, 0, 0x100000, 65536, "DRAM", [F_CREATE, F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
    L.block("A", 0x7fcc00000020, 0, 0x110000, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
    L.block("A", 0x7fcc00000030, 0, 0x120000, 32768, "L1", [F_SHARED_EMPLACE, F_CREATE, F_ALLOC_DEV, F_CONV, F_PYEVAL])
    L.block("A", 0x7fcc00000040, 0, 0x130000, 4096, "L1", [F_CREATE, F_SHARED_DTOR])
    L.block("A", 0x7fcc00000050, 0, 0x140000, 2048, "L1", [F_ALLOC_DEV, F_CONV, F_PYCALL])
    L.block("A", 0x7fcc00000060, 0, 0x150000, 1024, "L1", [F_CREATE, F_ALLOC_DEV, F_CONV, F_PYEVAL])
    L.block("D", 0x7fcc00000060, 0, 0x150000, 1024, "L1", FREE_STACK)
    write_log(name, L)

# ================================================================ all_allocations
L = Log()
S1 = [F_ALLOC_DEV, F_MATMUL, F_PYEVAL]
S2 = [F_ALLOC_DEV, F_CONV, F_PYEVAL]
S3 = [F_ALLOC_DEV, F_EMBED, F_PYEVAL]
L.block("A", 0x7fdd00000010, 0, 0x100000, 4096, "L1", S1, note="S1 #1 open 1")
L.block("A", 0x7fdd00000020, 0, 0x101000, 4096, "L1", S1, note="S1 #2 open 2")
L.block("A", 0x7fdd00000030, 0, 0x102000, 4096, "L1", S1, note="S1 #3 open 3")
L.block("A", 0x7fdd00000040, 0, 0x200000, 65536, "DRAM", S2, note="S2 #1")
L.block("D", 0x7fdd00000010, 0, 0x100000, 4096, "L1", FREE_STACK)
L.block("X", 0x7fdd00000020, 0, 0x101000, 4096, "L1", DTOR_STACK)
L.block("D", 0x7fdd00000020, 0, 0x101000, 4096, "L1", FREE_STACK)
L.block("A", 0x7fdd00000010, 0, 0x100000, 4096, "L1", S1, note="S1 #4 open 2")
L.block("A", 0x7fdd00000050, 0, 0x103000, 4096, "L1", S1, note="S1 #5 open 3")
L.block("D", 0x7fdd00000030, 0, 0x102000, 4096, "L1", FREE_STACK)
L.block("A", 0x7fdd00000040, 0, 0x210000, 65536, "DRAM", S3, note="supersedes S2 #1")
L.block("A", 0x7fdd00000060, 0, 0x300000, 65536, "DRAM", S2, note="S2 #2")
L.block("A", 0x7fdd00000070, 0, 0x0, 4096, "L1", S1, hooked=True, note="hooked, same stack as S1")
L.block("A", 0x7fdd00000080, 0, 0x0, 4096, "L1", S1, hooked=True, note="hooked, same stack as S1")
L.block("D", 0x7fdd00000060, 0, 0x300000, 65536, "DRAM", FREE_STACK)
write_log("all_allocations.log", L)

# ================================================================ multi_debug (two files, one stream)
L1 = Log()
L1.block("A", 0x7fee00000010, 0, 0x100000, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
L1.block("A", 0x7fee00000020, 0, 0x110000, 8192, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL])
L1.block("A", 0x7fee00000030, 0, 0x120000, 4096, "L1", [F_ALLOC_DEV, F_EMBED, F_PYEVAL])
L1.block("X", 0x7fee00000030, 0, 0x120000, 4096, "L1", DTOR_STACK, note="file ends between X and D")
write_log("multi_debug_1.log", L1)
L2 = Log()
L2.block("D", 0x7fee00000030, 0, 0x120000, 4096, "L1", FREE_STACK, note="ends the X of file 1")
L2.block("D", 0x7fee00000010, 0, 0x100000, 65536, "DRAM", FREE_STACK)
L2.block("A", 0x7fee00000040, 1, 0x100000, 2048, "L1", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
write_log("multi_debug_2.log", L2)

# ================================================================ join_owning
write_server("join_owning_server.log", [
    "✓ [PID 5000] Allocated 524288 bytes of DRAM on device 0 (buffer_id=0x18862c0)",
    "✓ [PID 5000] Allocated 524288 bytes of DRAM on device 0 (buffer_id=0x18862c0, ref_count=2)",
    "✓ [PID 5000] Allocated 65536 bytes of L1 on device 0 (buffer_id=0x1a0000)",
    "✓ [PID 5000] Allocated 4096 bytes of L1 on device 1 (buffer_id=0x1a0000)",
    "✗ [PID 5000] Freed buffer 0x1a0000 on device 1 (4096 bytes, FINAL)",
    "✗ [PID 5000] Freed buffer 0x18862c0 on device 0 (524288 bytes, ref_count=1 remaining)",
])
L = Log()
L.block("A", 0x7f8a4c001230, 0, 0x18862c0, 524288, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
L.block("A", 0x7f8a4c002000, 1, 0x1a0000, 4096, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL])
L.block("D", 0x7f8a4c002000, 1, 0x1a0000, 4096, "L1", FREE_STACK)
L.block("X", 0x7f8a4c003000, 0, 0x18862c0, 524288, "DRAM", DTOR_STACK, note="the view: non-owning")
write_log("join_owning_debug.log", L)

# ================================================================ join_mesh
write_server("join_mesh_server.log", [
    "✓ [PID 6100] Allocated 2097152 bytes of DRAM on device 0 (buffer_id=0x4000000)",
    "✓ [PID 6100] Allocated 2097152 bytes of DRAM on device 1 (buffer_id=0x4000000)",
    "✓ [PID 6100] Allocated 4096 bytes of L1 on device 1 (buffer_id=0x100000)",
    "✓ [PID 6100] Allocated 8192 bytes of L1 on device 1 (buffer_id=0x200000)",
    "✗ [PID 6100] Freed buffer 0x200000 on device 1 (8192 bytes, FINAL)",
])
L = Log()
L.block("A", 0x7f6100000010, 8, 0x3000000, 2097152, "DRAM", [F_MESH_CREATE, F_PYEVAL], note="earlier mesh backing buffer")
L.block("D", 0x7f6100000010, 8, 0x3000000, 2097152, "DRAM", FREE_STACK)
L.block("A", 0x7f6100000020, 8, 0x4000000, 2097152, "DRAM", [F_MESH_CREATE, F_PYEVAL], note="mesh backing buffer")
L.block("A", 0x7f6100000030, 1, 0x100000, 4096, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL])
L.block("A", 0x7f6100000040, 1, 0x200000, 8192, "L1", [F_ALLOC_DEV, F_EMBED, F_PYEVAL], note="its DEALLOCATED block is missing")
write_log("join_mesh_debug.log", L)

# ================================================================ join_two_open (server + two debug files)
write_server("join_two_open_server.log", [
    "✓ [PID 7200] Allocated 8192 bytes of L1 on device 0 (buffer_id=0x300000)",
    "✓ [PID 7200] Allocated 65536 bytes of DRAM on device 0 (buffer_id=0x800000)",
    "✓ [PID 7201] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x300000, ref_count=2)",
])
L1 = Log()
L1.block("A", 0x7f7200000100, 0, 0x800000, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
L1.block("A", 0x7f7200000300, 0, 0x300000, 8192, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL], note="older, never closed")
write_log("join_two_open_1.log", L1)
L2 = Log()
L2.block("A", 0x7f7200000200, 0, 0x300000, 4096, "L1", [F_ALLOC_DEV, F_SOFTMAX, F_PYEVAL], note="newer, smaller line number")
write_log("join_two_open_2.log", L2)

# ================================================================ join_churn
srv = []
L = Log()
K = 0x500000
for i in range(6):
    p = 0x7f8000000100 + 0x100 * (i % 2)
    srv.append(f"✓ [PID 8300] Allocated 16384 bytes of L1 on device 0 (buffer_id=0x{K:x})")
    L.block("A", p, 0, K, 16384, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL], note=f"cycle {i + 1}")
    if i == 3:
        L.block("X", p, 0, K, 16384, "L1", DTOR_STACK)
    L.block("D", p, 0, K, 16384, "L1", FREE_STACK)
    srv.append(f"✗ [PID 8300] Freed buffer 0x{K:x} on device 0 (16384 bytes, FINAL)")
srv.append(f"✓ [PID 8300] Allocated 16384 bytes of L1 on device 0 (buffer_id=0x{K:x})")
L.block("A", 0x7f8000000300, 0, K, 16384, "L1", [F_ALLOC_DEV, F_EMBED, F_PYEVAL], note="the one open at the end")
srv.append("✓ [PID 8300] Allocated 32768 bytes of L1 on device 0 (buffer_id=0x600000)")
L.block("A", 0x7f8000000400, 0, 0x600000, 32768, "L1", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL])
L.block("D", 0x7f8000000400, 0, 0x600000, 32768, "L1", FREE_STACK, note="server's FREE never arrived")
write_server("join_churn_server.log", srv)
write_log("join_churn_debug.log", L)

# ================================================================ stacks (dump and cleanup entries)
# Five server entries A..E, two dumps, a cleanup of PIDs 200 and 300; the
# debug log gives A one closed lifetime (only), B two (latest), C only a
# hooked one (none), D an open one (open), E one closed one (only).
BOX_TOP = "╔" + "═" * 62 + "╗"
BOX_BOT = "╚" + "═" * 62 + "╝"
DUMP_TITLE = "║" + " " * 11 + "REMAINING ALLOCATED BUFFERS" + " " * 23 + "║"


def dump(total, body):
    return (["📋 Received DUMP_REMAINING request...", "", BOX_TOP, DUMP_TITLE, BOX_BOT,
             f"Total tracked allocations: {total}", ""] + body +
            [f"Total remaining buffers: {total}", "", "📋 DUMP_REMAINING complete."])


DEV0 = ["Device 0:",
        f"  DRAM: 1 buffers, {g(16384 / 2**20)} MB total",
        "    - Buffer 0x40000: 16 KB (PID 100, ref_count=1)",
        f"  L1: 2 buffers, {g(8192 / 2**20)} MB total",
        "    - Buffer 0x10000: 4 KB (PID 100, ref_count=1)",
        "    - Buffer 0x20000: 4 KB (PID 200, ref_count=1)",
        ""]
DEV1 = ["Device 1:",
        f"  DRAM: 1 buffers, {g(8192 / 2**20)} MB total",
        "    - Buffer 0x30000: 8 KB (PID 300, ref_count=1)"]
write_server("stacks_server.log", [
    "✓ [PID 100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x10000)",
    "✓ [PID 200] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x20000)",
    "✓ [PID 300] Allocated 8192 bytes of DRAM on device 1 (buffer_id=0x30000)",
    "✓ [PID 100] Allocated 16384 bytes of DRAM on device 0 (buffer_id=0x40000)",
] + dump(4, DEV0 + DEV1 + [""]) + [
    "✓ [PID 200] Allocated 2048 bytes of L1_SMALL on device 1 (buffer_id=0x50000)",
] + dump(5, DEV0 + DEV1 + [
    f"  L1_SMALL: 1 buffers, {g(2048 / 2**20)} MB total",
    "    - Buffer 0x50000: 2 KB (PID 200, ref_count=1)",
    "",
]) + [
    "✗ [PID 100] Freed buffer 0x10000 on device 0 (4096 bytes, FINAL)",
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 200 is dead, removing its buffers...",
    f"   ✓ Removed 2 buffers ({g(6144 / 2**20)} MB) from PID 200",
    "   PID 300 is dead, removing its buffers...",
    f"   ✓ Removed 1 buffers ({g(8192 / 2**20)} MB) from PID 300",
    "",
])
L = Log()
L.block("A", 0x7f9000000100, 0, 0x10000, 4096, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL], note="A: its only lifetime")
L.block("D", 0x7f9000000100, 0, 0x10000, 4096, "L1", FREE_STACK)
L.block("A", 0x7f9000000200, 0, 0x20000, 4096, "L1", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], note="B: first of two")
L.block("D", 0x7f9000000200, 0, 0x20000, 4096, "L1", FREE_STACK)
L.block("A", 0x7f9000000300, 0, 0x20000, 4096, "L1", [F_ALLOC_DEV, F_EMBED, F_PYEVAL], note="B: the latest")
L.block("D", 0x7f9000000300, 0, 0x20000, 4096, "L1", FREE_STACK)
L.block("A", 0x7f9000000400, 1, 0x30000, 8192, "DRAM", [F_ALLOC_DEV, F_CONV, F_PYEVAL], hooked=True,
        note="C: hooked, not counted")
L.block("D", 0x7f9000000400, 1, 0x30000, 8192, "DRAM", FREE_STACK)
L.block("A", 0x7f9000000500, 0, 0x40000, 16384, "DRAM", [F_ALLOC_DEV, F_SOFTMAX], note="D: open at the end")
L.block("A", 0x7f9000000600, 1, 0x50000, 2048, "L1_SMALL", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], note="E: only")
L.block("D", 0x7f9000000600, 1, 0x50000, 2048, "L1_SMALL", FREE_STACK)
write_log("stacks_debug.log", L)

# ================================================================ join_filter (--device, --type, --pid, --min-size)
# Three call sites over two devices and two types, two owners; P6 has no server entry.
write_server("join_filter_server.log", [
    "✓ [PID 100] Allocated 65536 bytes of DRAM on device 0 (buffer_id=0x100000)",
    "✓ [PID 200] Allocated 65536 bytes of DRAM on device 1 (buffer_id=0x100000)",
    "✓ [PID 100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x200000)",
    "✓ [PID 200] Allocated 16384 bytes of L1 on device 0 (buffer_id=0x300000)",
    "✓ [PID 100] Allocated 16384 bytes of L1 on device 1 (buffer_id=0x300000)",
])
L = Log()
L.block("A", 0x7f9000000010, 0, 0x100000, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], note="P1")
L.block("A", 0x7f9000000020, 1, 0x100000, 65536, "DRAM", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], note="P2")
L.block("A", 0x7f9000000030, 0, 0x200000, 4096, "L1", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], note="P3")
L.block("A", 0x7f9000000040, 0, 0x300000, 16384, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL], note="P4")
L.block("A", 0x7f9000000050, 1, 0x300000, 16384, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL], note="P5")
L.block("A", 0x7f9000000060, 1, 0x400000, 8192, "DRAM", [F_ALLOC_DEV, F_EMBED, F_PYEVAL], note="P6: no server entry")
write_log("join_filter_debug.log", L)

# ================================================================ address (--address 0x18b20: lifetimes and sites)
write_server("address_server.log", [
    "✓ [PID 6100] Allocated 4096 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✗ [PID 6100] Freed buffer 0x18b20 on device 0 (4096 bytes, FINAL)",
    "✓ [PID 6100] Allocated 8192 bytes of L1 on device 0 (buffer_id=0x18b20)",
    "✓ [PID 6100] Allocated 8192 bytes of L1 on device 1 (buffer_id=0x18b20)",
    "✓ [PID 6100] Allocated 8192 bytes of L1 on device 0 (buffer_id=0x18b200)",
])
L = Log()
L.block("A", 0x7f9000000100, 0, 0x18b20, 4096, "L1", [F_ALLOC_DEV, F_MATMUL, F_PYEVAL], note="closed by D")
L.block("D", 0x7f9000000100, 0, 0x18b20, 4096, "L1", FREE_STACK)
L.block("A", 0x7f9000000200, 0, 0x18b20, 8192, "L1", [F_ALLOC_DEV, F_CONV, F_PYEVAL], note="open at the end")
L.block("A", 0x7f9000000300, 1, 0x18b20, 8192, "L1", [F_ALLOC_DEV, F_SOFTMAX, F_PYEVAL], hooked=True,
        note="device 1, hooked, closed by X")
L.block("X", 0x7f9000000300, 1, 0x18b20, 8192, "L1", DTOR_STACK)
L.block("D", 0x7f9000000300, 1, 0x18b20, 8192, "L1", FREE_STACK, note="after X: part of the same end")
L.block("A", 0x7f9000000400, 0, 0x18b200, 8192, "L1", [F_ALLOC_DEV, F_EMBED, F_PYEVAL], note="another address")
write_log("address_debug.log", L)

# ================================================================ timeline_debug (the debug-log timeline, --temporary)
# One frame per stack: an ALLOCATED block is 13 lines, a DEALLOCATED or DESTRUCTOR 11.
# Sites MM, CV, EM (first allocated in that order); frees from one FREE1 frame.
MM1, CV1, EM1, FREE1 = [F_MATMUL], [F_CONV], [F_EMBED], [F_DEALLOC]
L = Log()
L.block("A", 0x7fd000000010, 0, 0x100000, 1000, "DRAM", MM1, time="10:00:00", note="p1")
L.block("A", 0x7fd000000020, 0, 0x200000, 200, "L1", CV1, time="10:00:00", note="p2")
L.block("D", 0x7fd000000020, 0, 0x200000, 200, "L1", FREE1, time="10:00:01", note="p2 freed")
L.block("A", 0x7fd000000030, 1, 0x100000, 4000, "DRAM", MM1, time="10:00:01", note="p3")
L.block("A", 0x7fd000000040, 1, 0x200000, 500, "L1", EM1, time="10:00:02", note="p4")
L.block("A", 0x7fd000000050, 0, 0x300000, 3000, "DRAM", EM1, time="10:00:02", note="p5")
L.block("D", 0x7fd000000030, 1, 0x100000, 4000, "DRAM", FREE1, time="10:00:03", note="p3 freed")
L.block("D", 0x7fd000000050, 0, 0x300000, 3000, "DRAM", FREE1, time="10:00:03", note="p5 freed")
L.block("A", 0x7fd000000060, 0, 0x400000, 100, "L1", CV1, time="10:00:03", note="p6")
L.block("X", 0x7fd000000010, 0, 0x100000, 1000, "DRAM", FREE1, time="10:00:04", note="p1 destructor")
L.block("D", 0x7fd000000010, 0, 0x100000, 1000, "DRAM", FREE1, replace={"Time": "Time: 10:00:5"},
        note="after X; Time not HH:MM:SS")
write_log("timeline_debug.log", L)
L = Log()
L.block("A", 0x7fd000000070, 0, 0x500000, 8000, "DRAM", MM1, time="10:00:06", note="q1")
write_log("timeline_debug_2.log", L)

# ================================================================ timeline_debug_cap (65 devices)
L = Log()
for d in range(65):
    L.block("A", 0x7fe000000000 + 16 * d, d, 0x100000, 1024 * (d + 1), "DRAM", MM1, time="11:00:00",
            note=f"device {d}")
write_log("timeline_debug_cap.log", L)
