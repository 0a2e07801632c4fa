// The project's two hashes. FNV-1a 64: checksums and cache keys (model
// weights, VQGAN code caches, per-prompt seeds). CRC-32 (IEEE, as zip and
// PNG use it): checking zip records and writing PNG chunks. Neither is
// cryptographic; both are stable across platforms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace shenbi {

inline constexpr std::uint64_t kFnv1aOffset = 0xcbf29ce484222325ull;

// Continues hash `h` over `size` bytes (start from kFnv1aOffset).
std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t h = kFnv1aOffset);
inline std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = kFnv1aOffset) {
    return fnv1a(bytes.data(), bytes.size(), h);
}

// 16 lower-case hex digits.
std::string hex64(std::uint64_t h);

// CRC-32 of `size` bytes, continuing `crc` (0 to start): crc32("123456789") = 0xCBF43926.
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0);

}  // namespace shenbi
