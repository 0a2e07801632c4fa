// A checkpoint file (the zip of torch.save) over arbitrary bytes, through
// everything that opens one: the CRC table (core/format/zip_directory.h), the
// state-dict reader and the tensor-table reader (core/format/torch_file.h).
// LibTorch's own zip reader (miniz) is not instrumented, so coverage comes
// from our code around it; a crash inside it still counts.
#include "core/format/torch_file.h"
#include "core/format/zip_directory.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const shenbi::fuzz::ScratchFile scratch(".pt");
    const auto& path = shenbi::fuzz::write_scratch(scratch.path, data, size);
    (void)shenbi::zip_member_crcs(path);
    (void)shenbi::read_state_dict(path);
    (void)shenbi::read_tensor_file(path);
    return 0;
}
