// cli.hpp — command-line options for the course's MPI-only programs.
//
// One copy of this file lives in common/ at the top of the course; `make sync`
// there copies it into every lesson folder that uses it (each folder builds on
// its own), and a test checks that every copy is identical.  Edit common/cli.hpp.
//
// Every rank parses the same argv, so every rank finds the same mistake and
// they can all stop together: rank 0 prints one line `error: ...`, every rank
// calls MPI_Finalize and exits with status 1.  No MPI_Abort, no hang, no
// stack of messages from each rank.  A program without MPI (lesson 01) includes
// this file without <mpi.h> before it and gets the same interface for one process.
//
//   Options opt(argc, argv, "usage text");          // handles --help
//   long n        = opt.integer("--n", 1000, 1, 1000000);
//   double dt     = opt.real("--dt", 0.1, 1e-9, 1.0);
//   std::string m = opt.word("--mode", "fast", {"fast", "slow"});
//   std::string f = opt.text("--csv", "");          // a file name; "" when absent
//   bool v        = opt.flag("--verbose");
//   opt.finish();                                   // refuses unknown options
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#ifdef MPI_VERSION
inline int cli_rank()
{
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}
inline void cli_finalize() { MPI_Finalize(); }
#else
inline int cli_rank() { return 0; }
inline void cli_finalize() {}
#endif

// Stop every rank with one message from rank 0.  Call it on all ranks.
[[noreturn]] inline void fail_all(const std::string& message)
{
  if (cli_rank() == 0) std::fprintf(stderr, "error: %s\n", message.c_str());
  cli_finalize();
  std::exit(1);
}

class Options {
public:
  Options(int argc, char** argv, std::string usage) : usage_(std::move(usage))
  {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--help" || a == "-h") {
        if (cli_rank() == 0) std::printf("%s", usage_.c_str());
        cli_finalize();
        std::exit(0);
      }
      if (a.rfind("--", 0) != 0) fail_all("unexpected argument '" + a + "' (try --help)");
      if (given_.count(a)) fail_all(a + " is given twice");
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
      fail_all(name + " needs an integer, got '" + text + "'");
    if (v < lo || v > hi)
      fail_all(name + " = " + text + " is out of range [" + std::to_string(lo) + ", " +
               std::to_string(hi) + "]");
    return v;
  }

  // A finite real option in [lo, hi]; `def` when absent.
  double real(const std::string& name, double def, double lo, double hi)
  {
    const char* text = take(name);
    if (!text) return def;
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(text, &end);
    if (*text == '\0' || *end != '\0' || errno == ERANGE || !std::isfinite(v))
      fail_all(name + " needs a number, got '" + text + "'");
    if (v < lo || v > hi) {
      char range[96];
      std::snprintf(range, sizeof(range), "[%g, %g]", lo, hi);
      fail_all(name + " = " + text + " is out of range " + range);
    }
    return v;
  }

  // A word from a fixed list; `def` when absent.
  std::string word(const std::string& name, const std::string& def,
                   const std::vector<std::string>& allowed)
  {
    const char* text = take(name);
    if (!text) return def;
    std::string list;
    for (const auto& a : allowed) {
      if (a == text) return a;
      list += (list.empty() ? "" : ", ") + a;
    }
    fail_all(name + " = '" + text + "' is not one of: " + list);
  }

  // A text option (a file name, say); `def` when absent.
  std::string text(const std::string& name, const std::string& def)
  {
    const char* t = take(name);
    return t ? std::string(t) : def;
  }

  // A flag without a value: true when given.
  bool flag(const std::string& name)
  {
    auto it = given_.find(name);
    if (it == given_.end()) return false;
    if (!it->second.empty()) fail_all(name + " takes no value, got '" + it->second + "'");
    given_.erase(it);
    return true;
  }

  // Call after reading every option: anything left over is a mistake.
  void finish()
  {
    if (!given_.empty())
      fail_all("unknown option '" + given_.begin()->first + "' (try --help)");
  }

private:
  const char* take(const std::string& name)
  {
    auto it = given_.find(name);
    if (it == given_.end()) return nullptr;
    if (it->second.empty()) fail_all(name + " needs a value");
    value_ = it->second;
    given_.erase(it);
    return value_.c_str();
  }

  std::string usage_;
  std::map<std::string, std::string> given_;
  std::string value_;
};
