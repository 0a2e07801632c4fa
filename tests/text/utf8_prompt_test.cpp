// Invalid UTF-8 in a prompt: `generate` dropped the bad
// bytes (the tokenizer's clean-up) while `link` read them as U+FFFD and
// counted them as characters. Both now refuse them with one check,
// check_utf8, and one message naming the byte offset: `link` calls it on its
// arguments, `generate` through check_prompt (also inside encode_prompt, so
// `predict` rows and the studio get it too). The commands themselves (exit 2
// before any model or graph is read) belong to a tests/cli case.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/sampling/generate.h"
#include "core/sampling/prompt.h"
#include "core/text/utf8.h"
#include "tests/support/tiny_model.h"

namespace shenbi {
namespace {

TEST(Utf8, ValidTextPasses) {
    for (const std::string text : {"", "a cat", "北京故宫的猫", "🥦绿色心", "\x7f", "\xf4\x8f\xbf\xbf"}) {
        EXPECT_FALSE(utf8_first_invalid(text).has_value()) << text;
        EXPECT_TRUE(check_utf8(text, "the prompt").ok()) << text;
    }
}

TEST(Utf8, TheFirstInvalidByteIsNamedByItsOffset) {
    struct Case {
        std::string text;
        std::size_t offset;
        const char* byte;
    };
    const std::vector<Case> cases = {
        {"ab\xff", 2, "0xff"},                     // never a UTF-8 byte
        {std::string("\x80") + "abc", 0, "0x80"},  // a stray continuation byte
        {"一\xe4\xb8", 3, "0xe4"},                 // a sequence cut short by the end
        {"一\xe4\xb8x猫", 3, "0xe4"},              // ... or by an ASCII byte
        {"a\xc0\x80", 1, "0xc0"},                  // overlong NUL
        {"ab\xed\xa0\x80", 2, "0xed"},             // a UTF-16 surrogate
        {"\xf4\x90\x80\x80", 0, "0xf4"},           // above U+10FFFF
        {"猫\xf8\x88\x80\x80\x80", 3, "0xf8"},     // a five-byte form
        {"猫\xff猫\xfe", 3, "0xff"},               // the first of several
    };
    for (const auto& c : cases) {
        EXPECT_EQ(utf8_first_invalid(c.text).value_or(c.text.size() + 1), c.offset) << c.offset;
        const Status st = check_utf8(c.text, "the prompt");
        ASSERT_FALSE(st.ok()) << c.offset;
        EXPECT_EQ(st.error().code, ErrorCode::InvalidArgument);
        EXPECT_EQ(st.message(), std::string("the prompt is not valid UTF-8: byte ") + c.byte + " at offset " +
                                    std::to_string(c.offset));
        // The check and the decoder agree on what is invalid: everything
        // before the offset decodes cleanly, the byte at it does not.
        const std::u32string before = utf8_decode(std::string_view(c.text).substr(0, c.offset));
        EXPECT_EQ(before.find(U'\uFFFD'), std::u32string::npos) << c.offset;
        EXPECT_NE(utf8_decode(c.text).find(U'\uFFFD'), std::u32string::npos) << c.offset;
    }
}

// Decoding files still never fails: an invalid byte is one U+FFFD.
TEST(Utf8, DecodingIsUnchanged) {
    EXPECT_EQ(utf8_decode(std::string("a\xff") + "b"), U"a\uFFFDb");
    EXPECT_EQ(utf8_decode("一\xe4\xb8x"), U"一\uFFFD\uFFFDx");
    EXPECT_EQ(utf8_length("猫\xff"), 2u);
}

// `generate` refuses, before any sampling, what `link` refuses, with the
// same words: encode_prompt used to drop the byte and generate images.
TEST(Utf8Prompt, GenerateRefusesWhatLinkRefusesWithTheSameMessage) {
    auto model = test::tiny_model(FusionMode::EasyNLP);
    const std::string prompt = "一丁\xff七";  // 一 and 丁 are three bytes each
    const std::string expected = "the prompt is not valid UTF-8: byte 0xff at offset 6";

    const Status link_check = check_utf8(prompt, "the prompt");  // what `shenbi-cli link` runs
    ASSERT_FALSE(link_check.ok());
    EXPECT_EQ(link_check.message(), expected);

    const Status checked = check_prompt(prompt);  // what `shenbi-cli generate` runs before loading
    ASSERT_FALSE(checked.ok());
    EXPECT_EQ(checked.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(checked.message(), expected);

    auto encoded = encode_prompt(*model, prompt, true);
    ASSERT_FALSE(encoded.ok());
    EXPECT_EQ(encoded.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(encoded.message(), expected);

    GenerationParams params;
    params.prompt = prompt;
    params.candidates = 1;
    int steps = 0;
    GenerationHooks hooks;
    hooks.on_progress = [&](const GenerationProgress&) { ++steps; };
    auto generated = generate(*model, params, hooks);
    ASSERT_FALSE(generated.ok());
    EXPECT_EQ(generated.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(generated.message(), expected);
    EXPECT_EQ(steps, 0);

    // The same prompt without the bad byte still encodes.
    EXPECT_TRUE(encode_prompt(*model, "一丁七", true).ok());
}

TEST(Utf8Prompt, AnEmptyPromptIsStillRefusedFirst) {
    const Status st = check_prompt(" \t");
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(st.message(), "the prompt is empty");
    EXPECT_TRUE(check_prompt("一只熊猫").ok());
}

}  // namespace
}  // namespace shenbi
