#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace acd::daemon {

/// The SHA-256 of a bearer token's secret. The daemon keeps only these, never a secret itself.
using TokenDigest = std::array<std::uint8_t, 32>;

/// SHA-256 of `secret`'s bytes, as `printf %s SECRET | sha256sum` computes it.
TokenDigest DigestToken(std::string_view secret);

/// Parses 64 hexadecimal digits (either case); nullopt for anything else.
std::optional<TokenDigest> ParseTokenDigest(std::string_view hex);

/// 64 lower-case hexadecimal digits, as `sha256sum` prints them.
std::string TokenDigestHex(const TokenDigest& digest);

/// Whether `a` and `b` are equal, in a time that does not depend on where they differ.
bool TokenDigestsEqual(const TokenDigest& a, const TokenDigest& b);

}  // namespace acd::daemon
