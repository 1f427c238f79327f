# SPDX-License-Identifier: MIT
"""dbglog.py - the TT_BUFFER_DEBUG_LOG side of leakgen's simulation.

The instrumented TT-Metal library of each simulated client process writes
blocks (FORMATS.md section 3) into one shared file, just before it sends the
matching message to the allocation server (3.3):

* owning buffers: BUFFER ALLOCATED, then the server ALLOC; an explicit
  deallocate writes BUFFER DEALLOCATED, destruction while allocated writes
  BUFFER DESTRUCTOR then BUFFER DEALLOCATED, then the server FREE;
* MeshDevice buffers: the backing buffer writes BUFFER ALLOCATED with the
  mesh device's id and never reaches the server; its device-local buffers
  are non-owning: server ALLOCs with no block, a DESTRUCTOR (nothing after
  it) when they go away;
* views: server ALLOC (a ref_count increment) with no block, DESTRUCTOR only;
* graph capture ("hooked") allocations: Address 0x0, Hooked: yes, no server
  message;
* device close: the remaining buffers go away without any block, their
  Buffer* return to the heap and are handed out again (superseded
  lifetimes);
* Buffer* values come from per-process heaps (LIFO reuse, like glibc's
  tcache); a process may get the same heap layout as an earlier one
  (ASLR off), so pointers of different processes collide.

The expected `debug` section, `server.leaks[].site` and `server.join` are
kept by the DebugLog state machine below while it writes the blocks (the
same way leakgen's Server keeps the server truth), never by reading the
file back.  It uses its own random streams, so the server simulation is the
same with or without a debug log.
"""

import collections
import os
import re
import zlib

SEP_UTF8 = '\u2550' * 59
SEP_MACROMAN = '\u201a\u00ef\u00ea' * 59          # '‚ïê' x 59
SEP_CP1252 = '\u00e2\u2022\u0090' * 59            # 'â•' + U+0090, x 59

T_ALLOC = 'BUFFER ALLOCATED'
T_DEALLOC = 'BUFFER DEALLOCATED'
T_DTOR = 'BUFFER DESTRUCTOR (still ALLOCATED - will deallocate)'

TYPES_MERGED = ('DRAM', 'L1', 'SYSTEM_MEMORY', 'L1_SMALL', 'TRACE')
TYPES_PATCH = ('DRAM', 'L1', 'OTHER', 'L1_SMALL', 'OTHER')

# --------------------------------------------------------------------------
# Frames (FORMATS.md 3.4).  {M} libtt_metal.so, {N} _ttnn.so, {P} python,
# {G} a gtest binary, {C} libc, {S} libstdc++.  Names contain spaces,
# commas, templates; an empty name after "MODULE: " is a hidden function
# (trailing space kept); raw glibc strings are printed unchanged.

F = {
    'BC': '{M}: tt::tt_metal::Buffer::create(tt::tt_metal::IDevice*, unsigned long, unsigned long, tt::tt_metal::BufferType, '
          'std::variant<std::monostate, tt::tt_metal::ShardSpecBuffer, tt::tt_metal::BufferDistributionSpec> const&, '
          'std::optional<bool>, std::optional<tt::tt_metal::SubDeviceId>)',
    'SPC': '{M}: std::__shared_ptr<tt::tt_metal::Buffer, (__gnu_cxx::_Lock_policy)2>::__shared_ptr<std::allocator<void>, '
           'tt::tt_metal::IDevice*&, unsigned long&, unsigned long&, tt::tt_metal::BufferType&>(std::_Sp_alloc_shared_tag<'
           'std::allocator<void> >, tt::tt_metal::IDevice*&, unsigned long&, unsigned long&, tt::tt_metal::BufferType&)',
    'MBC': '{M}: tt::tt_metal::distributed::MeshBuffer::create(tt::tt_metal::distributed::MeshBufferConfig const&, '
           'tt::tt_metal::distributed::DeviceLocalBufferConfig const&, tt::tt_metal::distributed::MeshDevice*, std::optional<unsigned long>)',
    'AD': '{N}: tt::tt_metal::tensor_impl::allocate_buffer_on_device(tt::tt_metal::IDevice*, tt::tt_metal::TensorSpec const&)',
    'AMD': '{N}: tt::tt_metal::tensor_impl::allocate_mesh_buffer_on_device(tt::tt_metal::distributed::MeshDevice*, tt::tt_metal::TensorSpec const&)',
    'CDT': '{N}: tt::tt_metal::create_device_tensor(tt::tt_metal::TensorSpec const&, tt::tt_metal::IDevice*)',
    'TD': '{N}: tt::tt_metal::Tensor tt::tt_metal::tensor_impl::to_device<bfloat16>(tt::tt_metal::Tensor const&, tt::tt_metal::IDevice*, '
          'tt::tt_metal::MemoryConfig const&, std::optional<std::reference_wrapper<tt::tt_metal::CommandQueue> >)',
    'TDM': '{N}: tt::tt_metal::Tensor tt::tt_metal::tensor_impl::to_device_mesh_tensor<bfloat16>(tt::tt_metal::Tensor const&, '
           'tt::tt_metal::distributed::MeshDevice*, tt::tt_metal::MemoryConfig const&)',
    'TOD': '{N}: tt::tt_metal::Tensor::to_device(tt::tt_metal::IDevice*, tt::tt_metal::MemoryConfig const&, '
           'std::optional<std::reference_wrapper<tt::tt_metal::CommandQueue> >) const',
    'ATD': '{N}: ttnn::operations::core::allocate_tensor_on_device(ttnn::Shape const&, tt::tt_metal::DataType, tt::tt_metal::Layout, '
           'tt::tt_metal::IDevice*, tt::tt_metal::MemoryConfig const&)',
    'RWA': '{N}: tt::tt_metal::operation::run_without_autoformat(tt::tt_metal::operation::DeviceOperation<std::vector<tt::tt_metal::Tensor, '
           'std::allocator<tt::tt_metal::Tensor> > >&&, std::vector<tt::tt_metal::Tensor, std::allocator<tt::tt_metal::Tensor> > const&, '
           'std::vector<std::optional<tt::tt_metal::Tensor const>, std::allocator<std::optional<tt::tt_metal::Tensor const> > > const&, '
           'std::vector<std::optional<tt::tt_metal::Tensor>, std::allocator<std::optional<tt::tt_metal::Tensor> > > const&, unsigned char)',
    'PB': '{N}: pybind11::cpp_function::dispatcher(_object*, _object*, _object*)',
    'HN': '{N}: ',
    'HM': '{M}: ',
    'PE': '{P}: _PyEval_EvalFrameDefault',
    'PMT': '{P}: _PyObject_MakeTpCall',
    'PFV': '{P}: _PyFunction_Vectorcall',
    'POC': '{P}: PyObject_Call',
    'PH': '{P}: ',
    'PRAW': '{P}() [0x5f6fa3]',
    'RAW': '[0x7f3c2b1e4a90]',
    # device bring-up
    'SMM': '{M}: tt::tt_metal::SystemMemoryManager::SystemMemoryManager(unsigned short, unsigned char)',
    'ICQH': '{M}: tt::tt_metal::Device::init_command_queue_host()',
    'ICQD': '{M}: tt::tt_metal::Device::init_command_queue_device()',
    'DINI': '{M}: tt::tt_metal::Device::initialize(unsigned char, unsigned long, unsigned long, unsigned int, '
            'tt::stl::Span<unsigned int const, 18446744073709551615ul>, std::vector<unsigned int, std::allocator<unsigned int> > const&, bool)',
    'MDC': '{M}: tt::tt_metal::distributed::MeshDevice::create(tt::tt_metal::distributed::MeshDeviceConfig const&, unsigned long, '
           'unsigned long, unsigned long, tt::tt_metal::DispatchCoreConfig const&, tt::stl::Span<unsigned int const, 18446744073709551615ul>, unsigned long)',
    'OMD': '{N}: ttnn::distributed::open_mesh_device(tt::tt_metal::distributed::MeshShape const&, unsigned long, unsigned long, '
           'unsigned long, tt::tt_metal::DispatchCoreConfig const&, std::optional<tt::tt_metal::distributed::MeshCoordinate> const&, '
           'tt::stl::Span<unsigned int const, 18446744073709551615ul>, unsigned long)',
    # trace
    'ETC': '{M}: tt::tt_metal::detail::EndTraceCapture(tt::tt_metal::IDevice*, unsigned char, unsigned int)',
    'PMB': '{M}: tt::tt_metal::distributed::MeshTrace::populate_mesh_buffer(tt::tt_metal::distributed::MeshCommandQueue&, '
           'std::shared_ptr<tt::tt_metal::distributed::MeshTraceBuffer>&)',
    'NETC': '{N}: ttnn::operations::trace::end_trace_capture(tt::tt_metal::distributed::MeshDevice*, tt::tt_metal::distributed::MeshTraceId, '
            'std::optional<unsigned char>)',
    # ops
    'MM': '{N}: ttnn::operations::matmul::MatmulOperation::invoke(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&, bool, bool, '
          'std::optional<tt::tt_metal::MemoryConfig const> const&, std::optional<tt::tt_metal::DataType const>, '
          'std::optional<std::variant<ttnn::operations::matmul::MatmulMultiCoreProgramConfig, '
          'ttnn::operations::matmul::MatmulMultiCoreReuseProgramConfig> > const&)',
    'LIN': '{N}: ttnn::operations::matmul::LinearOperation::invoke(tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&, '
           'std::optional<tt::tt_metal::Tensor const> const&, bool, bool, std::optional<tt::tt_metal::MemoryConfig const> const&)',
    'SM': '{N}: ttnn::operations::normalization::ExecuteSoftmax::invoke(tt::tt_metal::Tensor const&, int, '
          'std::optional<tt::tt_metal::MemoryConfig> const&, std::optional<std::variant<ttnn::GrayskullComputeKernelConfig, '
          'ttnn::WormholeComputeKernelConfig> >, bool)',
    'RMS': '{N}: ttnn::operations::normalization::ExecuteRMSNorm::invoke(tt::tt_metal::Tensor const&, float, '
           'std::optional<tt::tt_metal::Tensor const> const&, std::optional<tt::tt_metal::Tensor const> const&, '
           'std::optional<tt::tt_metal::Tensor const> const&, std::optional<tt::tt_metal::MemoryConfig> const&)',
    'EMB': '{N}: ttnn::operations::embedding::EmbeddingOperation::invoke(unsigned char, tt::tt_metal::Tensor const&, '
           'tt::tt_metal::Tensor const&, std::optional<int> const&, std::optional<tt::tt_metal::Layout> const&, '
           'ttnn::operations::embedding::EmbeddingsType)',
    'CONV': '{N}: ttnn::operations::conv::conv2d::Conv2dOperation::invoke(unsigned char, tt::tt_metal::Tensor const&, '
            'tt::tt_metal::Tensor const&, tt::tt_metal::IDevice*, unsigned int, unsigned int, unsigned int, unsigned int, '
            'unsigned int, std::array<unsigned int, 2ul>, std::array<unsigned int, 2ul>, std::array<unsigned int, 2ul>, unsigned int)',
    'CAT': '{N}: ttnn::operations::data_movement::ConcatOperation::invoke(std::vector<tt::tt_metal::Tensor, '
           'std::allocator<tt::tt_metal::Tensor> > const&, int, std::optional<tt::tt_metal::MemoryConfig> const&, '
           'std::optional<tt::tt_metal::Tensor> const&, unsigned int)',
    'AG': '{N}: ttnn::operations::ccl::ExecuteAllGather::invoke(tt::tt_metal::Tensor const&, int, unsigned int, '
          'std::optional<tt::tt_metal::MemoryConfig> const&, std::optional<unsigned long>, ttnn::ccl::Topology)',
    'ROT': '{N}: ttnn::operations::experimental::transformer::RotaryEmbeddingLlamaOperation::invoke(tt::tt_metal::Tensor const&, '
           'tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&, bool, '
           'std::optional<tt::tt_metal::MemoryConfig> const&)',
    'SDPA': '{N}: ttnn::operations::transformer::ExecuteScaledDotProductAttentionDecode::invoke(unsigned char, '
            'tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&, tt::tt_metal::Tensor const&, '
            'std::optional<tt::tt_metal::Tensor const> const&, bool, std::optional<float>, std::optional<tt::tt_metal::MemoryConfig> const&)',
    'TC': '{N}: ttnn::operations::copy::Typecast::invoke(unsigned char, tt::tt_metal::Tensor const&, tt::tt_metal::DataType const&, '
          'std::optional<tt::tt_metal::MemoryConfig> const&, std::optional<tt::tt_metal::Tensor> const&)',
    'RS': '{N}: ttnn::operations::data_movement::ReshapeViewOperation::invoke(tt::tt_metal::Tensor const&, ttnn::Shape const&, '
          'std::optional<tt::tt_metal::MemoryConfig> const&, std::optional<std::variant<unsigned int, float> > const&)',
    'PUC': '{N}: ttnn::operations::experimental::paged_cache::PagedUpdateCacheOperation::invoke(tt::tt_metal::Tensor const&, '
           'tt::tt_metal::Tensor const&, std::vector<unsigned int, std::allocator<unsigned int> > const&, '
           'std::optional<tt::tt_metal::Tensor const> const&, std::optional<bool>, unsigned int)',
    'LODC': '{N}: ttnn::device_operation::detail::invoke<ttnn::operations::data_movement::ConcatDeviceOperation>(unsigned char, '
            'ttnn::operations::data_movement::ConcatDeviceOperation::operation_attributes_t const&, '
            'ttnn::operations::data_movement::ConcatDeviceOperation::tensor_args_t const&)',
    'LODM': '{N}: ttnn::device_operation::detail::invoke<ttnn::operations::matmul::MatmulDeviceOperation>(unsigned char, '
            'ttnn::operations::matmul::MatmulDeviceOperation::operation_attributes_t const&, '
            'ttnn::operations::matmul::MatmulDeviceOperation::tensor_args_t const&)',
    # graph capture
    'GPB': '{N}: ttnn::graph::GraphProcessor::track_allocation(tt::tt_metal::Buffer const*)',
    'GXP': '{N}: ttnn::graph::detail::extract_peak_L1_memory_usage(nlohmann::json_abi_v3_11_3::basic_json<std::map, std::vector, '
           'std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, bool, long, unsigned long, double, '
           'std::allocator, nlohmann::json_abi_v3_11_3::adl_serializer, std::vector<unsigned char, std::allocator<unsigned char> >, void> const&)',
    'GQC': '{N}: auto ttnn::graph::query_op_constraints<ttnn::decorators::registered_operation_t<reflect::v1_2_5::fixed_string<char, 12ul>'
           '{"ttnn::matmul"}, ttnn::operations::matmul::MatmulOperation> const&>(tt::tt_metal::distributed::MeshDevice*, ...)',
    # gtest (C++ unit tests)
    'GCB': '{G}: tt::tt_metal::CreateBuffer(tt::tt_metal::InterleavedBufferConfig const&)',
    'GTB': '{G}: tt::tt_metal::DeviceFixture_TestSimpleDramBufferReadOnlyLo_Test::TestBody()',
    'GTB2': '{G}: tt::tt_metal::MultiDeviceFixture_TestL1ShardedBufferReadWrite_Test::TestBody()',
    'GHE': '{G}: void testing::internal::HandleExceptionsInMethodIfSupported<testing::Test, void>(testing::Test*, '
           'void (testing::Test::*)(), char const*)',
    'GTR': '{G}: testing::Test::Run()',
    'GTR2': '{G}: testing::TestInfo::Run()',
    'GRAW': '{G}() [0x4f12c0]',
    'LSM': '{C}: ',
    'LSM2': '{C}: __libc_start_main',
    # dealloc / destructor side
    'BD': '{M}: tt::tt_metal::Buffer::deallocate()',
    'BDT': '{M}: tt::tt_metal::Buffer::~Buffer()',
    'SPD': '{M}: std::_Sp_counted_ptr_inplace<tt::tt_metal::Buffer, std::allocator<tt::tt_metal::Buffer>, '
           '(__gnu_cxx::_Lock_policy)2>::_M_dispose()',
    'SPR': '{M}: std::_Sp_counted_base<(__gnu_cxx::_Lock_policy)2>::_M_release()',
    'TDA': '{N}: tt::tt_metal::Tensor::deallocate(bool)',
    'TDT': '{N}: tt::tt_metal::Tensor::~Tensor()',
    'CDA': '{N}: ttnn::operations::core::deallocate(tt::tt_metal::Tensor&, bool)',
    'MBD': '{M}: tt::tt_metal::distributed::MeshBuffer::deallocate()',
    'MBDT': '{M}: tt::tt_metal::distributed::MeshBuffer::~MeshBuffer()',
    'STD': '{S}: ',
}

# Allocation stacks by category (at most 8 frames; some shallower).
OPS = ('MM', 'LIN', 'SM', 'RMS', 'EMB', 'CONV', 'CAT', 'AG', 'ROT', 'SDPA', 'TC', 'RS', 'PUC')


def _stack_catalogue():
    c = collections.OrderedDict()
    c['weights'] = [
        ['BC', 'SPC', 'AD', 'TD', 'TOD', 'PB', 'PMT', 'PE'],
        ['BC', 'AD', 'TD', 'TOD', 'PB', 'PMT', 'PE', 'PE'],
        ['SPC', 'BC', 'AD', 'TD', 'HN', 'PB', 'PFV', 'PE'],
    ]
    c['mesh_weights'] = [
        ['MBC', 'AMD', 'TDM', 'TOD', 'PB', 'PMT', 'PE', 'PE'],
        ['MBC', 'AMD', 'TDM', 'HN', 'PB', 'PH', 'PE'],
    ]
    c['kv'] = [
        ['BC', 'AD', 'CDT', 'ATD', 'PB', 'PMT', 'PE', 'PE'],
        ['BC', 'SPC', 'AD', 'CDT', 'ATD', 'PB', 'POC', 'PE'],
    ]
    c['mesh_kv'] = [['MBC', 'AMD', 'CDT', 'ATD', 'PB', 'PMT', 'PE', 'PE']]
    acts = []
    for i, op in enumerate(OPS):
        lod = 'LODM' if op in ('MM', 'LIN') else 'LODC'
        acts.append(['BC', 'AD', 'CDT', lod, op, 'PB', 'PMT', 'PE'])
        if i % 2 == 0:
            acts.append(['BC', 'SPC', 'AD', 'CDT', 'RWA', op, 'HN', 'PB'])
        if i % 3 == 0:
            acts.append(['AD', op, 'PB', 'PRAW', 'PE'])       # inlined, shallow
    c['act'] = acts
    c['mesh_act'] = [['MBC', 'AMD', 'CDT', 'LODM' if op in ('MM', 'LIN') else 'LODC', op, 'PB', 'PMT', 'PE']
                     for op in OPS[:7]]
    c['l1s'] = [['BC', 'AD', 'CDT', 'RWA', op, 'PB', 'PMT', 'PE'] for op in ('SDPA', 'ROT', 'PUC')]
    c['trace'] = [['BC', 'ETC', 'NETC', 'PB', 'PMT', 'PE'], ['MBC', 'PMB', 'NETC', 'PB', 'PMT', 'PE', 'PE']]
    c['sysm'] = [['SMM', 'ICQH', 'DINI', 'HM', 'OMD', 'PB', 'PMT', 'PE'], ['SMM', 'ICQH', 'DINI', 'RAW']]
    c['init'] = [['BC', 'ICQD', 'DINI', 'HM', 'MDC', 'OMD', 'PB', 'PMT'], ['BC', 'HM', 'DINI', 'MDC', 'OMD', 'PB', 'PE']]
    c['unit'] = [
        ['BC', 'GCB', 'GTB', 'GHE', 'GTR', 'GTR2', 'GRAW', 'LSM'],
        ['BC', 'GCB', 'GTB2', 'GHE', 'GTR'],
        ['SPC', 'BC', 'GCB', 'GTB2', 'GHE', 'GTR', 'GTR2', 'LSM2'],
        ['BC', 'GCB', 'GTB'],
        ['GRAW', 'RAW'],
        ['HM'],
        [],
    ]
    c['hooked'] = [['BC', 'GPB', 'HN', 'GQC', 'PB', 'PMT', 'PE'], ['BC', 'GPB', 'GXP', 'GQC', 'PB']]
    c['dealloc'] = [
        ['BD', 'SPD', 'SPR', 'TDT', 'PB', 'PMT', 'PE', 'PE'],
        ['BD', 'TDA', 'CDA', 'PB', 'PMT', 'PE', 'PE', 'PE'],
        ['BD', 'BDT', 'SPD', 'HN', 'TDT', 'PH', 'PE'],
        ['BD', 'GTB', 'GHE', 'GTR'],
    ]
    c['dtor'] = [
        ['SPD', 'SPR', 'TDT', 'PB', 'PMT', 'PE', 'PE', 'PE'],
        ['SPD', 'SPR', 'HN', 'TDA', 'CDA', 'PB', 'PMT', 'PE'],
        ['BDT', 'STD', 'GTB', 'GHE'],
    ]
    c['mesh_dealloc'] = [['MBD', 'MBDT', 'SPD', 'SPR', 'TDT', 'PB', 'PMT', 'PE']]
    return c


ROOTS = ('/home/user/tt-metal', '/opt/tt-metal', '/localdev/jdoe/tt-metal')


def _subst(f, mods):
    for k, v in mods.items():
        f = f.replace('{' + k + '}', v)
    return f


class Stacks:
    """Stack texts by id; per log one installation root."""

    def __init__(self, rng):
        root = rng.choice(ROOTS)
        mods = {'M': root + '/build/lib/libtt_metal.so', 'N': root + '/ttnn/ttnn/_ttnn.so',
                'P': rng.choice(('/usr/bin/python3.10', '/home/user/.venv/bin/python3')),
                'G': root + '/build/test/tt_metal/unit_tests_api',
                'C': '/lib/x86_64-linux-gnu/libc.so.6', 'S': '/lib/x86_64-linux-gnu/libstdc++.so.6'}
        self.frames = []          # stack id -> tuple of frame strings
        self.text = []            # stack id -> the printed frame lines
        self.cat = {}             # category -> [stack ids]
        for cat, stacks in _stack_catalogue().items():
            ids = []
            for st in stacks:
                fr = tuple(_subst(F[k], mods) for k in st)
                ids.append(len(self.frames))
                self.frames.append(fr)
                self.text.append(''.join('    ' + f + '\n' for f in fr))
            self.cat[cat] = ids
        # skewed choice: the first stacks of a category are the common ones
        self.weights = {k: [1.0 / (1 + i) for i in range(len(v))] for k, v in self.cat.items()}

    def pick(self, rng, cat):
        ids = self.cat[cat]
        if len(ids) == 1:
            return ids[0]
        return rng.choices(ids, self.weights[cat])[0]


class Grouping:
    """--skip-frames (Python re.search, anywhere in the frame), then
    --stack-depth: the key a stack is grouped by (REPORT-SCHEMA debug.sites)."""

    def __init__(self, depth=None, skips=()):
        self.depth = depth
        self.res = [re.compile(p) for p in skips]
        self.cache = {}

    def key(self, frames):
        k = self.cache.get(frames)
        if k is None:
            fr = [f for f in frames if not any(r.search(f) for r in self.res)]
            if self.depth is not None:
                fr = fr[:self.depth]
            k = self.cache[frames] = tuple(fr)
        return k


def frames_order(frames):
    """Frames compare element-wise, bytewise, a shorter prefix first."""
    return tuple(f.encode('utf-8', 'surrogateescape') for f in frames)


# --------------------------------------------------------------------------
# Output of the debug log file: CRLF, mojibake separators, gzip members,
# foreign lines between blocks.

class DWriter:
    """Writes the debug log as one or more files (one stream, split at block
    boundaries, as when the file was rotated or split by hand)."""

    def __init__(self, paths, opt, split_bytes, null=False):
        self.paths = paths
        self.null = null
        self.crlf = opt.crlf
        self.gz = opt.gzip
        self.chunks = []
        self.pending = 0
        k = len(paths)
        self.cur = 0
        self.nlines = [0] * k         # lines per file
        self.foreign = [0] * k
        self.bytes = [0] * k
        self.members = [0] * k
        self.chars = 0                # characters in the current file (split decisions)
        self.total_chars = 0
        self.split_bytes = split_bytes
        self.member_limit = max(1, opt.debug_member_bytes)
        self.member_used = 0
        self.fh = None
        self.comp = None
        self.lines = 0                # lines of the current file
        self.killed = False
        self._open()

    def _open(self):
        if self.null:
            return
        self.fh = open(self.paths[self.cur], 'wb')
        if self.gz:
            self.comp = zlib.compressobj(6, zlib.DEFLATED, 31)
            self.member_used = 0
            self.members[self.cur] = 1

    def boundary(self):
        """Between two blocks: maybe go on in the next file."""
        if self.cur + 1 < len(self.paths) and self.chars >= self.split_bytes:
            self._close_cur()
            self.cur += 1
            self.lines = 0
            self.chars = 0
            self._open()

    def add(self, text, nlines, foreign=False):
        self.chunks.append(text)
        self.lines += nlines
        self.nlines[self.cur] += nlines
        if foreign:
            self.foreign[self.cur] += nlines
        self.chars += len(text)
        self.total_chars += len(text)
        self.pending += 1
        if self.pending >= 4096:
            self.flush()

    def flush(self):
        if not self.chunks:
            return
        text = ''.join(self.chunks)
        self.chunks = []
        self.pending = 0
        if self.crlf:
            text = text.replace('\n', '\r\n')
        data = text.encode('utf-8')
        self.bytes[self.cur] += len(data)
        if self.null:
            return
        if self.comp is None:
            self.fh.write(data)
            return
        while data:
            room = self.member_limit - self.member_used
            if room <= 0:
                self.fh.write(self.comp.flush())
                self.comp = zlib.compressobj(6, zlib.DEFLATED, 31)
                self.member_used = 0
                self.members[self.cur] += 1
                continue
            part, data = data[:room], data[room:]
            self.fh.write(self.comp.compress(part))
            self.member_used += len(part)

    def _close_cur(self):
        self.flush()
        if self.fh is not None:
            if self.comp is not None:
                self.fh.write(self.comp.flush())
                self.comp = None
            self.fh.close()
            self.fh = None

    def close(self):
        self._close_cur()
        while self.cur + 1 < len(self.paths):      # files never reached are empty
            self.cur += 1
            self._open()
            self._close_cur()


# --------------------------------------------------------------------------
# Debug-log foreign lines: other programs' output between blocks.  None may
# look like a line of a block (title, field, frame, separator) nor carry a
# control byte (that would be binary junk, malformed).

_FIELDS = ('BUFFER ', 'Time:', 'Device:', 'Address:', 'Size:', 'Type:', 'Buffer*:', 'Owns Data:', 'Hooked:', 'Call Stack:')


def debug_foreign_ok(s):
    if not s or s[0] in ' \t' or not s.strip():
        return False
    if any(ord(ch) < 32 and ch != '\t' or ord(ch) == 127 or ord(ch) > 126 for ch in s):
        return False
    for f in _FIELDS:
        if s.startswith(f):
            return False
    return True


# --------------------------------------------------------------------------

class DProc:
    """A client process as the library sees it: its heap of Buffer objects."""
    __slots__ = ('pid', 'base', 'next', 'free', 'alive', 'style', 'mesh_id', 'at', 'closed')

    def __init__(self, pid, base, style, mesh_id):
        self.pid = pid
        self.base = base
        self.next = base
        self.free = []            # freed Buffer* (LIFO, like tcache)
        self.alive = {}           # ptr -> object (Buffer objects still existing)
        self.style = style        # 'mesh' (MeshDevice API) or 'own' (per-device Buffers)
        self.mesh_id = mesh_id
        self.at = {}              # (dev, addr) -> server-bearing object (for survivor frees)
        self.closed = False


# object: [ptr, dev, addr, size, typ, stack, owning, alive, proc]
O_PTR, O_DEV, O_ADDR, O_SIZE, O_TYP, O_STACK, O_OWN, O_ALIVE = range(8)


class DebugLog:
    """The instrumented library's blocks and the truth they imply.

    Truth state (the contract of REPORT-SCHEMA `debug`): lifetimes by
    Buffer* alone.  open[ptr] = [dev, addr, size, tname, stack, hooked,
    input, line, seq, key]; last[ptr] = kind of the pointer's previous
    block ('A', 'X', 'D')."""

    def __init__(self, opt, brng, drng, paths, input_index, ndev, split_bytes, null=False):
        self.opt = opt
        self.r = brng
        self.dr = drng
        self.w = DWriter(paths, opt, split_bytes, null=null)
        self.input = input_index
        self.ndev = ndev
        self.stacks = Stacks(brng)
        vocab = opt.debug_types
        if vocab == 'random':
            vocab = brng.choice(('patch', 'merged'))
        self.vocab = vocab
        self.tnames = TYPES_PATCH if vocab == 'patch' else TYPES_MERGED
        self.moj = opt.mojibake
        self.sep = {'none': SEP_UTF8, 'macroman': SEP_MACROMAN, 'cp1252': SEP_CP1252}.get(self.moj, SEP_UTF8)
        self.noise_rate = opt.debug_noise
        self.noise = None
        self.group = Grouping(opt.truth_stack_depth, opt.truth_skip_frames or ())
        self.procs = {}
        self.bases = []
        self.clock = [9, 12, 3]
        self.tstr = '09:12:03'
        # truth
        self.open = {}
        self.last = {}
        self.blocks = [0, 0, 0]          # allocated, deallocated, destructor
        self.sup = [0, 0]
        self.unmatched = 0
        self.seq = 0
        self.allsites = {}               # key -> [allocations, bytes, live, peak]
        self.keyof = {}                  # stack id -> group key
        self.deferred = None             # (obj, proc, mesh): a DEALLOCATED still to write
        self.deferred_wait = True
        self.defer_rate = 0.03
        self.nblocks = 0
        # --timeline: every non-hooked lifetime [file, title line, end file, end title line, device, size]
        self.tl = [] if getattr(opt, 'timeline', False) else None
        self.tl_at = (0, 0)              # (file, title line) of the block being written
        # --truth-temporary K: ALLOCATED blocks so far when each open lifetime began; per site key
        # the lifetimes a DESTRUCTOR or DEALLOCATED ended with at most K ALLOCATED blocks between
        self.temp_k = getattr(opt, 'truth_temporary', None)
        self.nalloc_at = {}
        self.temp = {}

    # ---- clock
    def tick(self):
        if self.r.random() < 0.3:
            c = self.clock
            c[2] += 1
            if c[2] >= 60:
                c[2] = 0
                c[1] += 1
                if c[1] >= 60:
                    c[1] = 0
                    c[0] = (c[0] + 1) % 24
            self.tstr = '%02d:%02d:%02d' % tuple(c)

    # ---- block writers (and the truth they imply)
    def _sepline(self):
        if self.moj == 'mix':
            c = self.dr.random()
            return SEP_MACROMAN if c < 0.33 else SEP_CP1252 if c < 0.66 else SEP_UTF8
        return self.sep

    def _after_block(self):
        self.nblocks += 1
        if self.deferred is not None:
            if self.deferred_wait:
                self.deferred_wait = False
            else:
                self.deferred_wait = True
                self.flush_deferred()
                return
        if self.noise_rate > 0 and self.dr.random() < self.noise_rate:
            nz = self.noise
            for _ in range(self.dr.randint(1, 4)):
                for _ in range(20):
                    s = nz.line()
                    if debug_foreign_ok(s):
                        break
                else:
                    s = 'collected 3 items'
                self.w.add(s + '\n', 1, foreign=True)

    def preamble(self):
        """--debug-noise: a capture may start with other programs' lines."""
        if self.noise_rate > 0 and self.dr.random() < 0.5:
            self.w.add('[TT-Metal] Buffer debug logging enabled -> /tmp/tt_buffer_debug.log\n', 1, foreign=True)
            for _ in range(self.dr.randint(0, 3)):
                s = self.noise.line()
                if debug_foreign_ok(s):
                    self.w.add(s + '\n', 1, foreign=True)

    def _gkey(self, sid):
        k = self.keyof.get(sid)
        if k is None:
            k = self.keyof[sid] = self.group.key(self.stacks.frames[sid])
        return k

    def _freed(self, lt):
        """--truth-temporary K: a DESTRUCTOR or DEALLOCATED block ends lifetime
        lt; temporary when at most K other ALLOCATED blocks came since its own
        (hooked lifetimes never are)."""
        n = self.nalloc_at.pop(id(lt), None)
        if n is not None and not lt[5] and self.blocks[0] - n <= self.temp_k:
            t = self.temp.get(lt[9])
            if t is None:
                t = self.temp[lt[9]] = [0, 0]
            t[0] += 1
            t[1] += lt[2]

    def _end(self, lt):
        """A non-hooked lifetime stops being open (closed or superseded), at
        the title of the block being written."""
        self.nalloc_at.pop(id(lt), None)
        if not lt[5]:
            self.allsites[lt[9]][2] -= 1
            if self.tl is not None:
                lt[10][2], lt[10][3] = self.tl_at

    def _tl_open(self, lt):
        """A lifetime opens: --truth-temporary notes how many ALLOCATED blocks
        came so far (this one included); --timeline notes the title of its
        ALLOCATED block."""
        if self.temp_k is not None:
            self.nalloc_at[id(lt)] = self.blocks[0]
        if self.tl is not None and not lt[5]:
            rec = [self.tl_at[0], self.tl_at[1], None, None, lt[0], lt[2]]
            self.tl.append(rec)
            lt.append(rec)

    def blk_alloc(self, ptr, dev, addr, size, typ, sid, hooked=False, owns=True):
        self.tick()
        w = self.w
        w.boundary()
        line = w.lines + 2
        self.tl_at = (w.cur, line)
        st = self.stacks
        w.add('%s\n%s\nTime: %s\nDevice: %d\nAddress: 0x%x (%d)\nSize: %d bytes (%s KB)\nType: %s\nBuffer*: 0x%x\n'
              'Owns Data: %s\nHooked: %s\nCall Stack:\n%s\n'
              % (self._sepline(), T_ALLOC, self.tstr, dev, addr, addr, size, '%g' % (size / 1024.0), self.tnames[typ], ptr,
                 'yes' if owns else 'no', 'yes' if hooked else 'no', st.text[sid]),
              12 + len(st.frames[sid]))
        self.blocks[0] += 1
        old = self.open.get(ptr)
        if old is not None:
            if not old[5]:
                self.sup[0] += 1
                self.sup[1] += old[2]
            self._end(old)
        self.seq += 1
        key = None
        if not hooked:
            key = self._gkey(sid)
            a = self.allsites.get(key)
            if a is None:
                a = self.allsites[key] = [0, 0, 0, 0]
            a[0] += 1
            a[1] += size
            a[2] += 1
            if a[2] > a[3]:
                a[3] = a[2]
        self.open[ptr] = lt = [dev, addr, size, self.tnames[typ], sid, hooked, self.input + w.cur, line, self.seq, key]
        self._tl_open(lt)
        self.last[ptr] = 'A'
        self._after_block()

    def _blk_end(self, title, ptr, dev, addr, size, typ, sid):
        self.tick()
        self.w.boundary()
        self.tl_at = (self.w.cur, self.w.lines + 2)
        st = self.stacks
        self.w.add('%s\n%s\nTime: %s\nDevice: %d\nAddress: 0x%x (%d)\nSize: %d bytes (%s KB)\nType: %s\nBuffer*: 0x%x\n'
                   'Call Stack:\n%s\n'
                   % (self._sepline(), title, self.tstr, dev, addr, addr, size, '%g' % (size / 1024.0), self.tnames[typ], ptr,
                      st.text[sid]),
                   10 + len(st.frames[sid]))

    def blk_dtor(self, ptr, dev, addr, size, typ):
        self._blk_end(T_DTOR, ptr, dev, addr, size, typ, self.stacks.pick(self.r, 'dtor'))
        self.blocks[2] += 1
        lt = self.open.pop(ptr, None)
        if lt is None:
            self.unmatched += 1
        else:
            self._freed(lt)
            self._end(lt)
        self.last[ptr] = 'X'
        self._after_block()

    def blk_dealloc(self, ptr, dev, addr, size, typ, mesh=False):
        self._blk_end(T_DEALLOC, ptr, dev, addr, size, typ, self.stacks.pick(self.r, 'mesh_dealloc' if mesh else 'dealloc'))
        self.blocks[1] += 1
        if self.last.get(ptr) != 'X':
            lt = self.open.pop(ptr, None)
            if lt is None:
                self.unmatched += 1
            else:
                self._freed(lt)
                self._end(lt)
        self.last[ptr] = 'D'
        self._after_block()

    # ---- the library's side of the client model
    def proc(self, P):
        dp = self.procs.get(P.pid)
        if dp is None:
            r = self.r
            if self.bases and r.random() < 0.3:
                base = r.choice(self.bases)           # same heap layout as an earlier process
            else:
                base = r.choice((0x55d0c0a00000, 0x5601a2c00000, 0x7f3a58000000, 0x7f8a4c000000)) + 0x1000 * r.randrange(1 << 16)
                self.bases.append(base)
            style = 'mesh' if len(P.devs) > 1 and r.random() < 0.5 else 'own'
            mesh_id = self.ndev if r.random() < 0.7 else r.randrange(self.ndev)
            dp = self.procs[P.pid] = DProc(P.pid, base, style, mesh_id)
        return dp

    def new_obj(self, dp, dev, addr, size, typ, sid, owning):
        r = self.r
        if dp.free and r.random() < 0.9:
            ptr = dp.free.pop()
        else:
            ptr = dp.next
            dp.next += r.choice((0x1e0, 0x1e0, 0x1e0, 0x200, 0x2a0))
        o = [ptr, dev, addr, size, typ, sid, owning, True]
        dp.alive[ptr] = o
        return o

    def kill_obj(self, dp, o, hold=False):
        """The object is gone; its Buffer* returns to the heap (hold: only
        once its deferred DEALLOCATED block is written)."""
        o[O_ALIVE] = False
        if dp.alive.get(o[O_PTR]) is o:
            del dp.alive[o[O_PTR]]
        if not hold:
            dp.free.append(o[O_PTR])
        k = (o[O_DEV], o[O_ADDR])
        if dp.at.get(k) is o:
            del dp.at[k]

    def _end_owning(self, o, dp, mesh=False):
        """An owning buffer goes away while its device is open; the object
        is gone afterwards."""
        r = self.r
        if r.random() < 0.35:
            self.blk_dealloc(o[O_PTR], o[O_DEV], o[O_ADDR], o[O_SIZE], o[O_TYP], mesh)     # explicit deallocate
            self.kill_obj(dp, o)
            return
        self.blk_dtor(o[O_PTR], o[O_DEV], o[O_ADDR], o[O_SIZE], o[O_TYP])
        if self.deferred is None and r.random() < self.defer_rate:
            # destructor blocks are written without the device lock: a
            # block of another thread lands between DESTRUCTOR and
            # DEALLOCATED; the pointer is not reused before the latter
            self.deferred = (o, dp, mesh)
            self.kill_obj(dp, o, hold=True)
            return
        self.blk_dealloc(o[O_PTR], o[O_DEV], o[O_ADDR], o[O_SIZE], o[O_TYP], mesh)
        self.kill_obj(dp, o)

    def flush_deferred(self):
        d = self.deferred
        if d is not None:
            self.deferred = None
            o, dp, mesh = d
            self.blk_dealloc(o[O_PTR], o[O_DEV], o[O_ADDR], o[O_SIZE], o[O_TYP], mesh)
            dp.free.append(o[O_PTR])

    # handle: [mode, {dev: obj}, backing obj or None, {dev: view obj}, proc]
    def alloc_begin(self, P, devs, addr, size, typ, cat):
        dp = self.proc(P)
        r = self.r
        if cat == 'act' and r.random() < 0.012:
            self.hooked_burst(dp, devs)
        if size == 0:
            return ['zero', {}, None, {}, dp]
        if dp.style == 'mesh' and len(devs) > 1 and cat not in ('sysm', 'unit'):
            mcat = 'mesh_' + cat if 'mesh_' + cat in self.stacks.cat else 'mesh_act'
            if cat == 'trace':
                mcat = 'trace'
            sid = self.stacks.pick(r, mcat)
            bk = self.new_obj(dp, dp.mesh_id, addr, size, typ, sid, True)
            self.blk_alloc(bk[O_PTR], dp.mesh_id, addr, size, typ, sid, owns=r.random() > 0.01)
            return ['mesh', {}, bk, {}, dp]
        return ['own', {}, None, {}, dp]

    def alloc_dev(self, h, d, addr, size, typ, cat):
        dp = h[4]
        mode = h[0]
        if mode == 'own':
            sid = self.stacks.pick(self.r, cat)
            o = self.new_obj(dp, d, addr, size, typ, sid, True)
            self.blk_alloc(o[O_PTR], d, addr, size, typ, sid, owns=self.r.random() > 0.01)
        else:
            o = self.new_obj(dp, d, addr, size, typ, -1, False)      # device-local / zero-size: no block
        h[1][d] = o
        dp.at[(d, addr)] = o

    def free_dev(self, h, d):
        o = h[1].pop(d, None)
        if o is None or not o[O_ALIVE]:
            return
        dp = h[4]
        if h[0] == 'own':
            self._end_owning(o, dp)
            return
        if h[0] == 'mesh':
            self.blk_dtor(o[O_PTR], o[O_DEV], o[O_ADDR], o[O_SIZE], o[O_TYP])    # non-owning: nothing follows
        self.kill_obj(dp, o)

    def free_end(self, h):
        bk = h[2]
        if bk is not None and bk[O_ALIVE]:
            self._end_owning(bk, h[4], mesh=True)
        h[2] = None

    def view_new(self, h, d, addr, size, typ):
        o = self.new_obj(h[4], d, addr, size, typ, -1, False)
        h[3][d] = o

    def view_free(self, h, d):
        o = h[3].pop(d, None)
        if o is None or not o[O_ALIVE]:
            return
        self.blk_dtor(o[O_PTR], o[O_DEV], o[O_ADDR], o[O_SIZE], o[O_TYP])
        self.kill_obj(h[4], o)

    def stray_free(self, P, d, addr):
        """A buffer allocated before the log started is freed."""
        dp = self.proc(P)
        r = self.r
        c = r.random()
        if c < 0.15:
            return
        typ = r.choice((0, 1, 1))
        size = r.choice((2048, 4096, 65536, 1048576, 1073741824))
        o = self.new_obj(dp, d, addr, size, typ, -1, True)
        if c < 0.6:
            self.blk_dealloc(o[O_PTR], d, addr, size, typ)
        else:
            self.blk_dtor(o[O_PTR], d, addr, size, typ)
            if c < 0.95:
                self.blk_dealloc(o[O_PTR], d, addr, size, typ)
        self.kill_obj(dp, o)

    def hooked_burst(self, dp, devs):
        """Graph capture: allocations hooked (Address 0x0), no server message."""
        r = self.r
        objs = []
        for _ in range(r.randint(1, 6)):
            d = r.choice(devs)
            typ = r.choice((0, 1, 1))
            # graph capture also sees huge buffers (Size: ... (2.09715e+06 KB))
            size = r.choice((2048, 4096, 16384, 65536, 1048576, 2147483648, 6442450944))
            sid = self.stacks.pick(r, 'hooked')
            o = self.new_obj(dp, d, 0, size, typ, sid, True)
            self.blk_alloc(o[O_PTR], d, 0, size, typ, sid, hooked=True)
            objs.append(o)
        for o in objs:
            c = r.random()
            if c < 0.8:
                self._end_owning(o, dp)
            elif c < 0.9:
                self.kill_obj(dp, o)         # gone silently: its pointer comes back
            # else: stays open (hooked at the end)

    def device_closed(self, P):
        """Buffers left when the device closes go away without a block."""
        dp = self.procs.get(P.pid)
        if dp is None:
            return
        for o in list(dp.alive.values()):
            self.kill_obj(dp, o)

    def survivor_free(self, pid, d, addr):
        dp = self.procs.get(pid)
        if dp is None:
            return
        o = dp.at.get((d, addr))
        if o is None or not o[O_ALIVE]:
            return
        if o[O_OWN]:
            self._end_owning(o, dp)
            return
        self.blk_dtor(o[O_PTR], o[O_DEV], o[O_ADDR], o[O_SIZE], o[O_TYP])
        self.kill_obj(dp, o)

    # ---- truth
    def close(self):
        self.flush_deferred()
        if self.opt.debug_killed:
            self.killed_block()
        self.w.close()

    def killed_block(self):
        """The writing process is killed in the middle of a BUFFER ALLOCATED
        block: the file ends after its k-th frame (or its Call Stack: line),
        with no blank line and no final newline.  It still counts, with the
        frames written (the contract)."""
        r = self.r
        dp = self.procs[r.choice(sorted(self.procs))] if self.procs else DProc(0, 0x55d0c0a00000, 'own', self.ndev)
        sid = self.stacks.pick(r, 'act')
        frames = self.stacks.frames[sid]
        k = r.randint(0, len(frames))
        if k == len(frames) and k > 0:
            k -= 1
        dev = r.randrange(self.ndev)
        addr = 0x90000 + 32 * r.randrange(4096)
        size = r.choice((2048, 4096, 65536))
        typ = r.choice((0, 1))
        o = self.new_obj(dp, dev, addr, size, typ, sid, True)
        ptr = o[O_PTR]
        w = self.w
        w.boundary()
        self.tick()
        line = w.lines + 2
        self.tl_at = (w.cur, line)
        text = ('%s\n%s\nTime: %s\nDevice: %d\nAddress: 0x%x (%d)\nSize: %d bytes (%s KB)\nType: %s\nBuffer*: 0x%x\n'
                'Owns Data: yes\nHooked: no\nCall Stack:' % (self._sepline(), T_ALLOC, self.tstr, dev, addr, addr, size,
                                                           '%g' % (size / 1024.0), self.tnames[typ], ptr))
        text += ''.join('\n    ' + f for f in frames[:k])
        w.add(text, 11 + k)
        cut = frames[:k]
        self.blocks[0] += 1
        old = self.open.get(ptr)
        if old is not None:
            if not old[5]:
                self.sup[0] += 1
                self.sup[1] += old[2]
            self._end(old)
        self.seq += 1
        key = self.group.key(cut)
        a = self.allsites.setdefault(key, [0, 0, 0, 0])
        a[0] += 1
        a[1] += size
        a[2] += 1
        a[3] = max(a[3], a[2])
        self.open[ptr] = lt = [dev, addr, size, self.tnames[typ], None, False, self.input + w.cur, line, self.seq, key]
        self._tl_open(lt)
        self.last[ptr] = 'A'

    def input_entries(self):
        w = self.w
        res = []
        for i, path in enumerate(w.paths):
            res.append(collections.OrderedDict([
                ('path', os.path.basename(path)), ('format', 'buffer-debug-log'), ('compressed', bool(self.opt.gzip)),
                ('bytes', w.bytes[i]), ('lines', w.nlines[i]), ('recognized_lines', w.nlines[i] - w.foreign[i]),
                ('foreign_lines', w.foreign[i]), ('malformed_lines', 0), ('joined_lines', 0), ('truncated', False)]))
        return res

    def truth(self, server_live=None):
        """Returns (debug section, join or None, site_of(dev, addr) or None)."""
        O = collections.OrderedDict
        st = self.stacks
        live = [0, 0]
        hk = [0, 0]
        opened = []
        sites = {}
        for ptr, lt in self.open.items():
            if lt[5]:
                hk[0] += 1
                hk[1] += lt[2]
                continue
            live[0] += 1
            live[1] += lt[2]
            opened.append((ptr, lt))
            s = sites.get(lt[9])
            if s is None:
                s = sites[lt[9]] = [0, 0]
            s[0] += 1
            s[1] += lt[2]
        order = sorted(sites, key=lambda k: (-sites[k][1], -sites[k][0], frames_order(k)))
        idx = {k: i for i, k in enumerate(order)}
        leaks = [O([('pointer', ptr), ('device', lt[0]), ('address', lt[1]), ('type', lt[3]), ('size', lt[2]),
                    ('input', lt[6]), ('line', lt[7]), ('site', idx[lt[9]])]) for ptr, lt in opened]
        leaks.sort(key=lambda x: (-x['size'], x['device'], x['address'], x['pointer']))
        site_list = [O([('frames', list(k)), ('buffers', sites[k][0]), ('bytes', sites[k][1])]) for k in order]
        if self.temp_k is not None:
            for k, row in zip(order, site_list):
                t = self.temp.get(k, (0, 0))
                row['temporary'] = t[0]
                row['temporary_bytes'] = t[1]
        all_sites = None
        if self.opt.truth_all_allocations:
            ak = sorted(self.allsites, key=lambda k: (-self.allsites[k][1], -self.allsites[k][0], frames_order(k)))
            all_sites = [O([('frames', list(k)), ('allocations', self.allsites[k][0]), ('bytes', self.allsites[k][1]),
                            ('peak_live', self.allsites[k][3])]) for k in ak]
            if self.temp_k is not None:
                for k, row in zip(ak, all_sites):
                    t = self.temp.get(k, (0, 0))
                    row['temporary'] = t[0]
                    row['temporary_bytes'] = t[1]
        dbg = O([('blocks', O([('allocated', self.blocks[0]), ('deallocated', self.blocks[1]), ('destructor', self.blocks[2])])),
                 ('live', O([('buffers', live[0]), ('bytes', live[1])])),
                 ('superseded', O([('buffers', self.sup[0]), ('bytes', self.sup[1])])),
                 ('unmatched', self.unmatched),
                 ('hooked', O([('buffers', hk[0]), ('bytes', hk[1])])),
                 ('leaks', leaks), ('sites', site_list), ('all_sites', all_sites)])
        if server_live is None:
            return dbg, None, None
        newest = {}
        without = 0
        for ptr, lt in opened:
            k = (lt[0], lt[1])
            cur = newest.get(k)
            if cur is None or lt[8] > cur[8]:
                newest[k] = lt
            if k not in server_live:
                without += 1

        def site_of(dev, addr):
            lt = newest.get((dev, addr))
            return None if lt is None else idx[lt[9]]
        join = O([('leaks_with_site', 0), ('leaks_without_site', 0), ('lifetimes_without_entry', without)])
        return dbg, join, site_of
