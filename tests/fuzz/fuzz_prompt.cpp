// A prompt over arbitrary bytes, through what generation and the editor do
// with it: the tokenizer (core/text/tokenizer.h), the entity lattice and its
// tensors (core/knowledge/entity_table.h, lattice_columns.h) and the
// display linker with completion (core/knowledge/linker.h), over the
// bundled model's vocabulary and the bundled knowledge graph.
#include <cstdlib>
#include <string_view>

#include "core/knowledge/entity_table.h"
#include "core/knowledge/lattice_columns.h"
#include "core/knowledge/linker.h"
#include "core/text/tokenizer.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

struct Knowledge {
    shenbi::BertTokenizer tokenizer;
    shenbi::EntityTable table;
    shenbi::EntityLinker linker;
};

template <class T>
T must(shenbi::Result<T> r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "fuzz_prompt: cannot load %s: %s\n", what, r.message().c_str());
        std::exit(1);
    }
    return std::move(*r);
}

const Knowledge& knowledge() {
    static const Knowledge k = [] {
        const std::filesystem::path src = SHENBI_SOURCE_DIR;
        const auto model = src / "resources/models/default";
        return Knowledge{must(shenbi::BertTokenizer::from_file(model / "vocab.txt"), "vocab.txt"),
                         must(shenbi::EntityTable::load_names(model / "entity2id.txt"), "entity2id.txt"),
                         must(shenbi::EntityLinker::load(src / "resources/knowledge"), "resources/knowledge")};
    }();
    return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Knowledge& k = knowledge();
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const auto tokens = k.tokenizer.tokenize(text);
    int previous_end = 0;
    for (const auto& t : tokens) {
        if (t.char_begin < previous_end || t.char_end < t.char_begin)
            shenbi::fuzz::property_failed("token spans overlap or run backwards");
        if (t.id < 0 || t.id >= static_cast<std::int64_t>(k.tokenizer.size()))
            shenbi::fuzz::property_failed("token id outside the vocabulary");
        previous_end = t.char_end;
    }
    int token_len = 0;
    const auto ids = k.tokenizer.encode(text, 32, &token_len);
    if (ids.size() != 32) shenbi::fuzz::property_failed("encode did not pad or truncate to the length asked");

    const auto lattice = k.table.lattice(tokens, /*single_chars=*/true);
    for (const auto& e : lattice)
        if (e.token_begin < 0 || e.token_end < e.token_begin || e.token_end >= static_cast<int>(tokens.size()))
            shenbi::fuzz::property_failed("lattice span outside the tokens");
    (void)shenbi::make_words_mat(lattice, 10, 32);
    (void)shenbi::format_lattice_columns(lattice, 32);

    for (const auto& linked : k.linker.link(text, 8, /*single_chars=*/true))
        if (linked.char_begin < 0 || linked.char_end <= linked.char_begin)
            shenbi::fuzz::property_failed("linked span empty or negative");
    (void)k.linker.complete(text.substr(0, 12), 20);
    return 0;
}
