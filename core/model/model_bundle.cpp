#include "core/model/model_bundle.h"

#include <torch/torch.h>

#include "core/knowledge/entity_table.h"
#include "core/text/tokenizer.h"
#include "core/text/utf8.h"

namespace shenbi {
namespace {

// [PAD]=0, [unusedN] fillers, [UNK]=100, [CLS]..[MASK]=101..103 when the size
// allows (BERT's layout), then CJK ideographs from U+4E00.
std::vector<std::string> synthetic_vocab(int size) {
    std::vector<std::string> vocab;
    vocab.reserve(static_cast<size_t>(size));
    const bool bert_layout = size > 200;
    vocab.push_back("[PAD]");
    if (bert_layout) {
        for (int i = 1; i < 100; ++i) vocab.push_back("[unused" + std::to_string(i) + "]");
        for (const char* s : {"[UNK]", "[CLS]", "[SEP]", "[MASK]"}) vocab.push_back(s);
    } else {
        vocab.push_back("[UNK]");
    }
    for (char32_t cp = 0x4E00; static_cast<int>(vocab.size()) < size; ++cp)
        vocab.push_back(utf8_encode(std::u32string(1, cp)));
    return vocab;
}

}  // namespace

std::shared_ptr<ModelBundle> make_random_bundle(const ModelConfig& config,
                                                std::uint64_t seed,
                                                std::shared_ptr<const BertTokenizer> tokenizer,
                                                std::shared_ptr<const EntityTable> entities) {
    torch::manual_seed(seed);
    auto bundle = std::make_shared<ModelBundle>();
    bundle->config = config;
    bundle->net = ArtistModel(config);
    bundle->net->eval();
    bundle->tokenizer =
        tokenizer
            ? std::move(tokenizer)
            : std::make_shared<const BertTokenizer>(BertTokenizer::from_tokens(synthetic_vocab(config.gpt.text_vocab)));
    bundle->entities = std::move(entities);
    bundle->checksum = "random-" + std::to_string(seed);
    return bundle;
}

}  // namespace shenbi
