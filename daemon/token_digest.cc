#include "daemon/token_digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "absl/strings/escaping.h"

namespace acd::daemon {

TokenDigest DigestToken(std::string_view secret) {
  TokenDigest digest{};
  unsigned int size = 0;
  // EVP_Digest fails only when OpenSSL cannot allocate: no answer would be safe then.
  if (EVP_Digest(secret.data(), secret.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    std::abort();
  }
  return digest;
}

std::optional<TokenDigest> ParseTokenDigest(std::string_view hex) {
  if (hex.size() != 2 * TokenDigest().size()) return std::nullopt;
  TokenDigest digest{};
  for (std::size_t i = 0; i < digest.size(); ++i) {
    int byte = 0;
    for (char c : hex.substr(2 * i, 2)) {
      int nibble = 0;
      if (c >= '0' && c <= '9') {
        nibble = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        nibble = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        nibble = c - 'A' + 10;
      } else {
        return std::nullopt;
      }
      byte = byte * 16 + nibble;
    }
    digest[i] = static_cast<std::uint8_t>(byte);
  }
  return digest;
}

std::string TokenDigestHex(const TokenDigest& digest) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

bool TokenDigestsEqual(const TokenDigest& a, const TokenDigest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace acd::daemon
