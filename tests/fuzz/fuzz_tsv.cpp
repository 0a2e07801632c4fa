// An EasyNLP training TSV over arbitrary bytes, as training reads it: the
// row reader (core/data/tsv_reader.h), the row parser with its lattice
// columns, the index of usable rows and each indexed row read back, and
// the image decode of small images (core/data/train_data.h).
#include "core/data/train_data.h"
#include "core/data/tsv_reader.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const shenbi::fuzz::ScratchFile scratch(".tsv");
    const auto& path = shenbi::fuzz::write_scratch(scratch.path, data, size);

    auto reader = shenbi::TsvReader::open(path);
    if (!reader) return 0;
    shenbi::TsvRow row;
    while (reader->next(row)) {
        auto example = shenbi::parse_example_fields(row.fields, row.line);
        // Images: small ones only, so that the fuzzer spends its time in our
        // code rather than in OpenCV's decoders.
        if (example && example->image_base64.size() <= 2048)
            (void)shenbi::decode_example_image(example->image_base64, 16, row.line % 2 == 0);
    }

    shenbi::BadRowLog log;
    auto index = shenbi::TsvIndex::build(path, &log);
    if (!index) return 0;
    auto in = index->open_stream();
    for (std::size_t i = 0; i < index->size(); ++i) {
        auto example = index->read(in, i);
        if (!example) continue;
        if (example->text.empty() || example->image_base64.empty())
            shenbi::fuzz::property_failed("TsvIndex kept a row without text or image");
    }
    return 0;
}
