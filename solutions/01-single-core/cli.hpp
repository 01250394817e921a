// cli.hpp — command-line options for this lesson's programs (no MPI here).
//
// The same interface as the MPI lessons' cli.hpp, for a single process: a
// mistake prints one line `error: ...` on stderr and the program exits with
// status 1.
//
//   Options opt(argc, argv, "usage text");     // handles --help
//   long n = opt.integer("--n", 1000, 1, 1000000);
//   opt.finish();                               // refuses unknown options
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

// Stop the program with one message.
[[noreturn]] inline void fail(const std::string& message)
{
  std::fprintf(stderr, "error: %s\n", message.c_str());
  std::exit(1);
}

class Options {
public:
  Options(int argc, char** argv, std::string usage) : usage_(std::move(usage))
  {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--help" || a == "-h") {
        std::printf("%s", usage_.c_str());
        std::exit(0);
      }
      if (a.rfind("--", 0) != 0) fail("unexpected argument '" + a + "' (try --help)");
      if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0)
        given_[a] = argv[++i];
      else
        given_[a] = "";               // a flag, or an option missing its value
    }
  }

  // An integer option in [lo, hi]; `def` when absent.
  long integer(const std::string& name, long def, long lo, long hi)
  {
    const char* text = take(name);
    if (!text) return def;
    char* end = nullptr;
    errno = 0;
    long v = std::strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno == ERANGE)
      fail(name + " needs an integer, got '" + text + "'");
    if (v < lo || v > hi)
      fail(name + " = " + text + " is out of range [" + std::to_string(lo) + ", " +
           std::to_string(hi) + "]");
    return v;
  }

  // A flag without a value: true when given.
  bool flag(const std::string& name)
  {
    auto it = given_.find(name);
    if (it == given_.end()) return false;
    if (!it->second.empty()) fail(name + " takes no value, got '" + it->second + "'");
    given_.erase(it);
    return true;
  }

  // Call after reading every option: anything left over is a mistake.
  void finish()
  {
    if (!given_.empty())
      fail("unknown option '" + given_.begin()->first + "' (try --help)");
  }

private:
  const char* take(const std::string& name)
  {
    auto it = given_.find(name);
    if (it == given_.end()) return nullptr;
    if (it->second.empty()) fail(name + " needs a value");
    value_ = it->second;
    given_.erase(it);
    return value_.c_str();
  }

  std::string usage_;
  std::map<std::string, std::string> given_;
  std::string value_;
};
