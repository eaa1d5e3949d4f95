#include "server/random_ids.h"

#include <memory>
#include <mutex>
#include <random>

namespace patchcast::server {

std::function<std::string()> RandomIds(std::string prefix, int hex_digits) {
  struct Source {
    std::mutex mutex;
    std::mt19937_64 engine;
  };
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device()};
  auto source = std::make_shared<Source>();
  source->engine.seed(seed);
  return [source, prefix = std::move(prefix), hex_digits] {
    static constexpr char kHex[] = "0123456789abcdef";
    std::uint64_t bits = 0;
    {
      std::lock_guard lock(source->mutex);
      bits = source->engine();
    }
    std::string id = prefix;
    for (int i = 0; i < hex_digits; ++i, bits >>= 4) id += kHex[bits & 0xFU];
    return id;
  };
}

}  // namespace patchcast::server
