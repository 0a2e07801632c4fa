// Sub-command registry of shenbi-cli. Each cmd_*.cpp registers its commands
// with SHENBI_COMMAND; main() dispatches on the first one to three words.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shenbi::cli {

// The allowed values of a floating-point flag: min..max, either end open;
// max may be infinity (then the message says "a finite number > min").
struct Bounds {
    double min = 0, max = std::numeric_limits<double>::infinity();
    bool min_open = false, max_open = false;

    static Bounds closed(double lo, double hi) { return {lo, hi, false, false}; }     // [lo, hi]
    static Bounds left_open(double lo, double hi) { return {lo, hi, true, false}; }   // (lo, hi]
    static Bounds right_open(double lo, double hi) { return {lo, hi, false, true}; }  // [lo, hi)
    static Bounds open(double lo, double hi) { return {lo, hi, true, true}; }         // (lo, hi)
    static Bounds above(double lo) { return {lo, std::numeric_limits<double>::infinity(), true, false}; }
    static Bounds at_least(double lo) { return {lo, std::numeric_limits<double>::infinity(), false, false}; }
};

// `--key value`, `--key=value`, bare `--flag`, and positionals.
class Args {
public:
    Args(std::vector<std::string> argv);

    bool has(const std::string& key) const;
    std::string get(const std::string& key, const std::string& fallback = "") const;
    // The value split at `sep`, empty items dropped ("a,,b" -> a, b); empty when not given.
    std::vector<std::string> get_list(const std::string& key, char sep = ',') const;
    // Numeric getters: every value given is parsed and range-checked, and one
    // that does not parse or lies outside the range is recorded in errors()
    // naming the flag and the range (main() prints them; exit 2), never
    // clamped; the fallback is returned then. A flag not given returns the
    // fallback unchecked (0 may mean "all cores" without being a valid value).
    // Commands read all their flags first and stop when errors() is not empty,
    // so that a bad value costs no work.
    long long get_int(const std::string& key, long long fallback, long long min, long long max) const;
    // Finite numbers only: NaN and infinity are refused whatever the range.
    double get_double(const std::string& key, double fallback, const Bounds& allowed) const;
    // Seeds: 0..2^64-1, a negative value is an error (not 2^64-1).
    std::uint64_t get_u64(const std::string& key, std::uint64_t fallback) const;
    // Switches: "on" or "off"; anything else is recorded ("--KEY: on or off, got 'X'").
    bool get_on_off(const std::string& key, bool fallback) const;
    // A problem the getters cannot see (flags that do not fit together), recorded as theirs are.
    void error(const std::string& message) const;
    const std::vector<std::string>& positional() const { return positional_; }
    // Every flag given (main() checks them against the command's usage).
    std::vector<std::string> keys() const;
    const std::vector<std::string>& errors() const { return errors_; }

private:
    void record(const std::string& message) const;

    std::map<std::string, std::string> values_;
    std::vector<std::string> positional_;
    mutable std::vector<std::string> errors_;
};

struct Command {
    std::string name;                     // e.g. "generate" or "bench generate"
    std::string summary;                  // one line for --help
    std::string usage;                    // flags, shown by `shenbi-cli help NAME`
    std::function<int(const Args&)> run;  // exit code
};

// --threads N: 1..max(256, 16 x the cores), checked like the getters above;
// not given: `fallback` (0: all cores, see set_compute_threads).
int threads_flag(const Args& args, int fallback = 0);

std::vector<Command>& registry();

// Prints "shenbi-cli CMD: MESSAGE" on stderr and returns exit code 1.
int fail(const std::string& command, const std::string& message);

struct Registrar {
    explicit Registrar(Command c) { registry().push_back(std::move(c)); }
};

}  // namespace shenbi::cli

#define SHENBI_CLI_CONCAT2(a, b) a##b
#define SHENBI_CLI_CONCAT(a, b) SHENBI_CLI_CONCAT2(a, b)
#define SHENBI_COMMAND(...)                                                          \
    static const ::shenbi::cli::Registrar SHENBI_CLI_CONCAT(shenbi_cmd_, __LINE__) { \
        ::shenbi::cli::Command {                                                     \
            __VA_ARGS__                                                              \
        }                                                                            \
    }
