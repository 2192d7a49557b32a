// error.cpp — the thread-local message of the last failure on each thread.
#include <cstdlib>
#include <cstring>

#include "common.h"

namespace {

thread_local std::string last_error;
thread_local bool has_error = false;

}  // namespace

namespace mlnf {

void set_error(const char* message) noexcept {
  has_error = true;
  try {
    last_error = message != nullptr ? message : "(no message)";
  } catch (...) {
    // Out of memory while storing the message: the flag alone still reports the failure.
    last_error.clear();
  }
}

}  // namespace mlnf

extern "C" {

char* mlnf_error_take(void) {
  if (!has_error) return nullptr;
  has_error = false;
  const char* text = last_error.empty() ? "unknown native error" : last_error.c_str();
  const size_t length = std::strlen(text);
  char* copy = static_cast<char*>(std::malloc(length + 1));
  if (copy != nullptr) std::memcpy(copy, text, length + 1);
  last_error.clear();
  return copy;
}

void mlnf_string_free(char* message) { std::free(message); }

}  // extern "C"
