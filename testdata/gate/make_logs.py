#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the hand-made logs and suppression files of testdata/gate/ (part 3:
--diff, --fail-on, --baseline, --suppressions and the CI formats).

Every figure the .expect files (and tests/ci_formats.py) assert was worked
out by hand from FORMATS.md sections 1-3, REPORT-SCHEMA.md (`diff`, `gate`,
`options`) and the part-3 contract -- the derivation is in each .expect
file's comment block -- never by running tt-leakcorr.

The JSON reports used as a --diff side or a --baseline are NOT written here:
they are tt-leakcorr's own `--format json` output on the logs below, each
checked BY HAND against the derivations before it was committed:
    srv_before.json       tt-leakcorr --format json srv_before.log
    dbg_before.json       tt-leakcorr --format json dbg_before.log
    dbg_before_d2.json    tt-leakcorr --format json --stack-depth 2 dbg_before.log
    dbg_before_skip.json  tt-leakcorr --format json --skip-frames python3 dbg_before.log
(the checks are listed in diff_json_side.expect, diff_json_debug.expect and
baseline_depth_ok.expect / baseline_skip_mismatch.expect).

Run it from anywhere:   python3 make_logs.py          (rewrites the files)
                        python3 make_logs.py --list  (also prints each
                        file's byte and line counts and what is on the line
                        numbers the .expect files quote)
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LIST = "--list" in sys.argv[1:]

# ---------------------------------------------------------------- server log
BANNER = [
    "🚀 Allocation Server started",
    "   Listening on: /tmp/tt_allocation_server.sock",
    "   Press Ctrl+C to stop",
    "🔄 Background cleanup thread started (checking every 10s)",
]


def A(dev, addr, typ, size, pid=100):
    return f"✓ [PID {pid}] Allocated {size} bytes of {typ} on device {dev} (buffer_id=0x{addr:x})"


def F(dev, addr, size, pid=100):
    return f"✗ [PID {pid}] Freed buffer 0x{addr:x} on device {dev} ({size} bytes, FINAL)"


def U(dev, addr, pid=100):
    return (f"⚠ [PID {pid}] Deallocation for unknown buffer 0x{addr:x} on device {dev} "
            "(allocated before tracking started)")


# ---------------------------------------------------------------- debug log
SEP = "═" * 59
TITLES = {
    "A": "BUFFER ALLOCATED",
    "D": "BUFFER DEALLOCATED",
    "X": "BUFFER DESTRUCTOR (still ALLOCATED - will deallocate)",
}
TTM = "/opt/tt-metal/build/lib/libtt_metal.so"
TTNN = "/opt/tt-metal/ttnn/ttnn/_ttnn.so"
PY = "/usr/bin/python3.10"
F_CREATE = TTM + ": tt::tt_metal::Buffer::create(tt::tt_metal::IDevice*, unsigned long, unsigned long, tt::tt_metal::BufferType)"
F_ALLOC_DEV = TTNN + ": tt::tt_metal::tensor_impl::allocate_buffer_on_device(tt::tt_metal::IDevice*, tt::tt_metal::TensorSpec const&)"
F_MATMUL = TTNN + ": ttnn::operations::matmul::MatmulOperation::operator()(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&)"
F_CONV = TTNN + ": ttnn::operations::conv::conv2d::Conv2dOperation::invoke(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&)"
F_EMBED = TTNN + ": ttnn::operations::embedding::EmbeddingOperation::invoke(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&)"
F_SOFTMAX = TTNN + ": ttnn::operations::normalization::SoftmaxOperation::invoke(tt::tt_metal::Tensor const&)"
F_MESH = TTM + ": tt::tt_metal::distributed::MeshBuffer::create(tt::tt_metal::distributed::MeshBufferConfig const&, tt::tt_metal::distributed::DeviceLocalBufferConfig const&, tt::tt_metal::distributed::MeshDevice*)"
F_TRACE = TTM + ": tt::tt_metal::detail::EndTraceCapture(tt::tt_metal::IDevice*, unsigned char, unsigned int)"
F_PYEVAL = PY + ": _PyEval_EvalFrameDefault"
F_DEALLOC = TTM + ": tt::tt_metal::Buffer::deallocate()"
F_DISPOSE = TTM + ": std::_Sp_counted_ptr_inplace<tt::tt_metal::Buffer, std::allocator<tt::tt_metal::Buffer>, (__gnu_cxx::_Lock_policy)2>::_M_dispose()"
FREE_STACK = [F_DEALLOC, F_DISPOSE, F_PYEVAL]
DTOR_STACK = [F_DISPOSE, F_PYEVAL]

# The call sites of the debug-log cases (named in the .expect comments).
SA = [F_CREATE, F_ALLOC_DEV, F_MATMUL, F_PYEVAL]
SB = [F_CREATE, F_ALLOC_DEV, F_CONV, F_PYEVAL]
SC = [F_CREATE, F_MESH, F_PYEVAL]
SD = [F_CREATE, F_ALLOC_DEV, F_EMBED, F_PYEVAL]
SE = [F_CREATE, F_ALLOC_DEV, F_SOFTMAX, F_PYEVAL]
SF = [F_TRACE, F_PYEVAL]


def g(x):
    return "%g" % x


class Log:
    def __init__(self):
        self.lines = []
        self.notes = []

    def block(self, kind, ptr, dev, addr, size, typ, frames, note=""):
        out = [SEP, TITLES[kind], "Time: 14:32:15", f"Device: {dev}",
               f"Address: 0x{addr:x} ({addr})", f"Size: {size} bytes ({g(size / 1024)} KB)",
               f"Type: {typ}", f"Buffer*: 0x{ptr:x}"]
        if kind == "A":
            out += ["Owns Data: yes", "Hooked: no"]
        out.append("Call Stack:")
        out += ["    " + f for f in frames]
        out.append("")
        self.notes.append((len(self.lines) + 2, f"{kind} ptr=0x{ptr:x}({ptr}) dev={dev} "
                                                f"addr=0x{addr:x}({addr}) size={size} {typ} {note}"))
        self.lines.extend(out)


def write(name, text, notes=()):
    data = text.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    if LIST:
        nl = data.count(b"\n")
        print(f"== {name}: {len(data)} bytes, {nl} lines")
        for line, t in notes:
            print(f"   l{line}: {t}")


def write_server(name, lines, banner=True):
    allx = (BANNER if banner else []) + lines
    off = len(BANNER) + 1 if banner else 1
    write(name, "".join(l + "\n" for l in allx), [(i + off, l) for i, l in enumerate(lines)])


def write_debug(name, log):
    write(name, "".join(l + "\n" for l in log.lines), log.notes)


def write_text(name, lines):
    write(name, "".join(l + "\n" for l in lines), [(i + 1, l) for i, l in enumerate(lines)])


MiB = 1048576

# ============================================================ server diffs
write_server("srv_before.log", [
    A(0, 0x100000, "DRAM", MiB),
    A(0, 0x200000, "DRAM", MiB),
    A(0, 0x10000, "L1", 4096),
    A(0, 0x11000, "L1", 4096),
    A(0, 0x12000, "L1", 4096),
    A(0, 0x20000, "L1", 8192),
    A(0, 0x50000, "L1_SMALL", 2048),
    A(0, 0x60000, "TRACE", 1024),
    A(1, 0x30000, "L1", 65536),
    A(1, 0x40000, "L1", 4096),
    F(1, 0x40000, 4096),
    U(0, 0x999000),
])

write_server("srv_after.log", [
    A(0, 0x100000, "DRAM", MiB),
    A(0, 0x10000, "L1", 4096),
    A(0, 0x11000, "L1", 4096),
    A(0, 0x12000, "L1", 4096),
    A(0, 0x20000, "L1", 8192),
    A(0, 0x21000, "L1", 8192),
    A(0, 0x22000, "L1", 8192),
    A(0, 0x70000, "SYSTEM_MEMORY", 4096),
    A(0, 0x60000, "TRACE", 1024),
    A(6, 0x400000, "DRAM", 2 * MiB),
    A(1, 0x30000, "L1", 65536),
    F(1, 0x30000, 65536),
    U(0, 0x999000),
    U(6, 0x998000),
])

# srv_before's live set at other addresses, plus one new 2 MiB DRAM buffer
# on device 6 (the baseline catches it).
write_server("srv_new.log", [
    A(0, 0x1100000, "DRAM", MiB),
    A(0, 0x1200000, "DRAM", MiB),
    A(0, 0x30000, "L1", 4096),
    A(0, 0x31000, "L1", 4096),
    A(0, 0x32000, "L1", 4096),
    A(0, 0x38000, "L1", 8192),
    A(0, 0x58000, "L1_SMALL", 2048),
    A(0, 0x68000, "TRACE", 1024),
    A(1, 0x38000, "L1", 65536),
    A(6, 0x400000, "DRAM", 2 * MiB),
    U(0, 0x999000),
])

# A subset of srv_before's live set at other addresses (nothing new).
write_server("srv_subset.log", [
    A(0, 0x5000000, "DRAM", MiB),
    A(0, 0x40000, "L1", 4096),
    A(0, 0x41000, "L1", 4096),
    A(1, 0x90000, "L1", 65536),
    A(0, 0x42000, "L1", 8192),
    F(0, 0x42000, 8192),
])

# Cleanup, unknown-free causes and a disagreeing statistics block.
write_server("srv_misc.log", [
    A(0, 0x10000, "L1", 4096, pid=200),
    A(0, 0x11000, "L1", 4096, pid=200),
    A(0, 0x100000, "DRAM", MiB, pid=201),
    A(0, 0x12000, "L1", 8192, pid=201),
    F(0, 0x12000, 8192, pid=201),
    "",
    "⚠️  Detected dead processes, cleaning up orphaned buffers...",
    "   PID 200 is dead, removing its buffers...",
    "   ✓ Removed 2 buffers (0.0078125 MB) from PID 200",
    "",
    U(0, 0x10000, pid=201),
    U(0, 0x12000, pid=201),
    U(0, 0x13000, pid=201),
    U(0, 0x14000, pid=201),
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 1048576 bytes (1024 KB)",
    "    L1: 4096 bytes (4 KB)",
    "    Total: 1052672 bytes",
    "  Active allocations: 1",
    "",
    "📊 Current Statistics:",
    "  Device 0:",
    "    Buffers: 1",
    "    DRAM: 1048576 bytes (1024 KB)",
    "    L1: 0 bytes (0 KB)",
    "    Total: 1048576 bytes",
    "  Active allocations: 1",
])

# Malformed lines in two inputs (1 + 2).
write_server("srv_mal_1.log", [
    A(0, 0x10000, "L1", 4096),
    "✓ [PID 100] Allocated 4096 bytes of L1 on dev",
])
write_server("srv_mal_2.log", [
    "✗ [PID 100] Freed buffer 0x18g20 on device 0 (4096 bytes, FINAL)",
    "✓ [PID 100] Allocated 4096 bytes of DRAM on device 2147483648 (buffer_id=0x200000)",
    A(0, 0x20000, "L1", 8192),
])

# ============================================================ debug diffs
L = Log()
L.block("A", 0x7f0000001000, 0, 0x100000, 8192, "L1", SA, "SA open")
L.block("A", 0x7f0000002000, 0, 0x102000, 4096, "L1", SB, "SB open")
L.block("A", 0x7f0000003000, 0, 0x103000, 4096, "L1", SB, "SB open")
L.block("A", 0x7f0000004000, 0, 0x2000000, 65536, "DRAM", SC, "SC open")
L.block("A", 0x7f0000005000, 0, 0x2100000, 16384, "DRAM", SD, "SD open")
L.block("A", 0x7f0000006000, 1, 0x3000000, MiB, "TRACE", SF, "SF open")
L.block("A", 0x7f0000007000, 0, 0x104000, 2048, "L1", SE, "SE (closed next)")
L.block("D", 0x7f0000007000, 0, 0x104000, 2048, "L1", FREE_STACK)
L.block("A", 0x7f0000008000, 0, 0x2200000, 32768, "DRAM", SA, "SA (closed by X+D)")
L.block("X", 0x7f0000008000, 0, 0x2200000, 32768, "DRAM", DTOR_STACK)
L.block("D", 0x7f0000008000, 0, 0x2200000, 32768, "DRAM", FREE_STACK)
write_debug("dbg_before.log", L)

L = Log()
L.block("A", 0x7f1000001000, 0, 0x110000, 4096, "L1", SA, "SA open")
L.block("A", 0x7f1000002000, 0, 0x111000, 4096, "L1", SA, "SA open")
L.block("A", 0x7f1000003000, 0, 0x112000, 8192, "L1", SB, "SB open")
L.block("A", 0x7f1000004000, 0, 0x2000000, 65536, "DRAM", SC, "SC (closed next)")
L.block("D", 0x7f1000004000, 0, 0x2000000, 65536, "DRAM", FREE_STACK)
L.block("A", 0x7f1000005000, 0, 0x2300000, 16384, "DRAM", SD, "SD open")
L.block("A", 0x7f1000006000, 0, 0x2400000, 32768, "DRAM", SE, "SE open")
L.block("A", 0x7f1000007000, 1, 0x3000000, MiB, "TRACE", SF, "SF open")
L.block("A", 0x7f1000008000, 1, 0x3100000, MiB, "TRACE", SF, "SF open")
L.block("A", 0x7f1000009000, 0, 0x113000, 4096, "L1", SB, "SB (closed by X+D)")
L.block("X", 0x7f1000009000, 0, 0x113000, 4096, "L1", DTOR_STACK)
L.block("D", 0x7f1000009000, 0, 0x113000, 4096, "L1", FREE_STACK)
write_debug("dbg_after.log", L)

# ============================================================ suppressions
write_server("supp_server.log", [
    A(0, 0x10000, "L1", 4096),
    A(1, 0x10000, "L1", 8192),
    A(1, 0x100000, "DRAM", MiB),
    A(0, 0x100000, "DRAM", 2 * MiB),
    A(0, 0x200000, "TRACE", 12288),
    A(2, 0x100000, "DRAM", 524288),
])
write_text("supp_first.txt", [
    "# known leaks of the nightly run",
    "type:L1",
    "",
    "device:1",
    "type:DRAM",
    "# nothing runs on device 5",
    "device:5",
])
write_text("supp_regex.txt", [
    "# PCRE2, any frame of the call site",
    r"leak:Conv2d\w+::invoke\(",
    "leak:allocate_buffer_on_device",
    "leak:MeshBuffer::create",
    "device:7",
])
write_server("supp_join_server.log", [
    A(0, 0x100000, "DRAM", 524288, pid=300),
    A(0, 0x200000, "DRAM", 262144, pid=300),
    A(0, 0x300000, "L1", 65536, pid=300),
])
L = Log()
L.block("A", 0x7f2000001000, 0, 0x100000, 524288, "DRAM", SA, "P1 SA (server entry l5)")
L.block("A", 0x7f2000002000, 0, 0x200000, 262144, "DRAM", SB, "P2 SB (server entry l6)")
L.block("A", 0x7f2000003000, 0, 0x400000, 131072, "DRAM", SA, "P3 SA (no server entry)")
write_debug("supp_join_debug.log", L)
write_text("supp_join.txt", [
    "leak:MatmulOperation",
    "type:L1",
])
# The join sentence of the text report with --suppressions (supp_sum.expect).
write_server("supp_sum_server.log", [
    A(0, 0x100000, "DRAM", 524288, pid=400),
    A(0, 0x200000, "DRAM", 262144, pid=400),
    A(0, 0x300000, "L1", 65536, pid=400),
    A(0, 0x310000, "L1_SMALL", 4096, pid=400),
    A(1, 0x100000, "DRAM", 131072, pid=400),
    A(0, 0x400000, "DRAM", 65536, pid=400),
    A(0, 0x500000, "DRAM", 32768, pid=400),
    A(0, 0x600000, "DRAM", 16384, pid=400),
    F(0, 0x600000, 16384, pid=400),
])
L = Log()
L.block("A", 0x7f6000001000, 0, 0x100000, 524288, "DRAM", SA, "P1 SA (server entry l5)")
L.block("A", 0x7f6000002000, 0, 0x200000, 262144, "DRAM", SB, "P2 SB (server entry l6)")
L.block("A", 0x7f6000003000, 1, 0x100000, 131072, "DRAM", SD, "P3 SD (server entry l9)")
L.block("A", 0x7f6000004000, 0, 0x400000, 65536, "DRAM", SE, "P4 SE (server entry l10)")
L.block("A", 0x7f6000005000, 0, 0x700000, 8192, "DRAM", SA, "P5 SA (no server entry)")
L.block("A", 0x7f6000006000, 0, 0x800000, 8192, "DRAM", SB, "P6 SB (no server entry)")
L.block("A", 0x7f6000007000, 2, 0x100000, 4096, "DRAM", SC, "P7 SC (no server entry)")
L.block("A", 0x7f6000008000, 1, 0x900000, 2048, "DRAM", SE, "P8 SE (no server entry)")
write_debug("supp_sum_debug.log", L)
write_text("supp_sum.txt", [
    "leak:MatmulOperation",
    "type:L1",
    "device:1",
])
write_text("supp_bad_regex.txt", [
    "# line 3 is a bad PCRE2 pattern",
    "type:L1",
    "leak:Matmul(Operation",
    "device:1",
])
write_text("supp_bad_kind.txt", [
    "type:L1",
    "devices:1",
])

# ============================================================ CI formats
# 13 leak groups on device 0 (DRAM, k x 64 KiB for k = 1..13, one buffer each).
write_server("ci_many.log", [A(0, 0x1000000 * k, "DRAM", 65536 * k) for k in range(1, 14)])

# 9 leak groups (k x 64 KiB, k = 1..9): with one failed rule, exactly 10
# annotations and no notice line.
write_server("ci_nine.log", [A(0, 0x1000000 * k, "DRAM", 65536 * k) for k in range(1, 10)])

# No leak at all.
write_server("ci_clean.log", [A(0, 0x10000, "L1", 4096), F(0, 0x10000, 4096)])

# Same call sites and sizes, other pointers, addresses and line numbers.
L = Log()
L.block("A", 0x7f3000001000, 0, 0x100000, 8192, "L1", SA)
L.block("A", 0x7f3000002000, 0, 0x200000, 4096, "L1", SB)
L.block("A", 0x7f3000003000, 1, 0x3000000, MiB, "TRACE", SF)
write_debug("ci_fp_a.log", L)
L = Log()
L.block("A", 0x7f4000009000, 0, 0x900000, 2048, "L1", SE, "closed: shifts the lines")
L.block("D", 0x7f4000009000, 0, 0x900000, 2048, "L1", FREE_STACK)
L.block("A", 0x7f4000003000, 1, 0x3500000, MiB, "TRACE", SF)
L.block("A", 0x7f4000001000, 0, 0x180000, 8192, "L1", SA)
L.block("A", 0x7f4000002000, 0, 0x280000, 4096, "L1", SB)
write_debug("ci_fp_b.log", L)

# A first frame with the characters the CI formats must escape:
# '%' ',' ':' (GitHub), '<' '"' '&' (XML).
F_ODD = '/opt/lib/libodd.so: fmt<100%, "q">::run(int, char&)'
L = Log()
L.block("A", 0x7f5000001000, 0, 0x100000, 4096, "L1", [F_ODD, F_PYEVAL])
L.block("A", 0x7f5000002000, 0, 0x200000, 8192, "L1", SA)
write_debug("ci_escape.log", L)

# 15 call sites that share their first three frames (Buffer::create <- allocate_buffer_on_device
# <- create_device_tensor), for the CI names (tests/ci_formats.py, "names"): eleven part at
# frame 3 (their op; the eleventh op's symbol is 150 bytes long), four go on through the same
# two ops at frame 3 and part at frame 5, two pairs of them with the same frames 4-5.
F_CDT = TTNN + ": tt::tt_metal::create_device_tensor(tt::tt_metal::TensorSpec const&, tt::tt_metal::IDevice*)"
OPS15 = [TTNN + ": ttnn::operations::" + o + "::invoke(tt::tt_metal::Tensor const&)" for o in (
    "matmul::MatmulOperation", "conv::conv2d::Conv2dOperation", "embedding::EmbeddingOperation",
    "normalization::SoftmaxOperation", "normalization::LayerNormOperation", "data_movement::ConcatOperation",
    "data_movement::PermuteOperation", "data_movement::ReshapeOperation", "eltwise::binary::AddOperation",
    "reduction::SumOperation")] + [
    TTNN + ": ttnn::operations::pool::MaxPool2DOperation<ttnn::operations::pool::Pool2DType::MAX_POOL2D, "
    "tt::tt_metal::DataType::BFLOAT16>::invoke(tt::tt_metal::Tensor const&, unsigned int)"]
F_HEADS = TTNN + ": ttnn::operations::experimental::transformer::NLPCreateHeadsOperation::invoke(tt::tt_metal::Tensor const&)"
F_SDPA = TTNN + ": ttnn::operations::transformer::ScaledDotProductAttentionOperation::invoke(tt::tt_metal::Tensor const&)"
F_LAUNCH = TTNN + ": ttnn::device_operation::launch_on_device(tt::tt_metal::IDevice*)"
F_TRACED = TTNN + ": ttnn::decorators::registered_operation_t::traced_invoke()"
F_CAPTURE = TTNN + ": ttnn::graph::capture_operation()"
F_CALLOP = TTNN + ": ttnn::decorators::registered_operation_t::operator()()"
HEAD3 = [F_CREATE, F_ALLOC_DEV, F_CDT]
STACKS15 = [HEAD3 + [op, F_PYEVAL] for op in OPS15] + [
    HEAD3 + [F_HEADS, F_LAUNCH, F_TRACED, F_PYEVAL],
    HEAD3 + [F_HEADS, F_LAUNCH, F_CAPTURE, F_PYEVAL],
    HEAD3 + [F_SDPA, F_LAUNCH, F_TRACED, F_PYEVAL],
    HEAD3 + [F_SDPA, F_LAUNCH, F_CALLOP, F_PYEVAL],
]
L = Log()
for i, st in enumerate(STACKS15):
    # site i: one open 4096 * (15 - i) byte DRAM buffer, so the growth order is the site order
    L.block("A", 0x7f7000001000 + 0x1000 * i, 0, 0x1000000 + 0x100000 * i, 4096 * (15 - i), "DRAM", st, f"site {i}")
write_debug("ci_fifteen.log", L)

# The ends of the naming rule (tests/ci_formats.py, "names-edge"): two sites whose frame 1 has
# the same symbol in two modules (names alike until the fingerprint is added), and a stack that
# ends where a longer one goes on.
F_FOO1 = "/opt/a/liba.so: tt::foo()"
F_FOO2 = "/opt/b/libb.so: tt::foo()"
F_BAR = TTM + ": tt::bar()"
F_BAZ = TTM + ": tt::baz()"
L = Log()
L.block("A", 0x7f8000001000, 0, 0x100000, 16384, "DRAM", [F_CREATE, F_FOO1])
L.block("A", 0x7f8000002000, 0, 0x200000, 12288, "DRAM", [F_CREATE, F_FOO2])
L.block("A", 0x7f8000003000, 0, 0x300000, 8192, "DRAM", [F_CREATE, F_BAR])
L.block("A", 0x7f8000004000, 0, 0x400000, 4096, "DRAM", [F_CREATE, F_BAR, F_BAZ])
write_debug("ci_names_edge.log", L)
