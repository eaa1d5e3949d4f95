#include "tests/support/exposition_check.h"

#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

namespace patchcast::testing {
namespace {

const std::regex kMetricName("[a-zA-Z_:][a-zA-Z0-9_:]*");
const std::regex kLabelName("[a-zA-Z_][a-zA-Z0-9_]*");
const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary", "untyped"};

bool ParseValue(const std::string& text, double& value) {
  if (text == "+Inf" || text == "Inf") return value = INFINITY, true;
  if (text == "-Inf") return value = -INFINITY, true;
  if (text == "NaN") return value = NAN, true;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

// Parses `{a="x",b="y"}` starting at line[pos] == '{'; advances pos past '}'.
bool ParseLabels(const std::string& line, std::size_t& pos,
                 std::map<std::string, std::string>& labels, std::string& problem) {
  ++pos;
  while (pos < line.size() && line[pos] != '}') {
    std::size_t equals = line.find('=', pos);
    if (equals == std::string::npos) return problem = "label without '='", false;
    std::string name = line.substr(pos, equals - pos);
    if (!std::regex_match(name, kLabelName))
      return problem = "bad label name '" + name + "'", false;
    if (equals + 1 >= line.size() || line[equals + 1] != '"') {
      return problem = "label value not quoted", false;
    }
    std::string value;
    std::size_t i = equals + 2;
    for (; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\') {
        if (i + 1 >= line.size()) return problem = "dangling escape", false;
        char escaped = line[++i];
        if (escaped == 'n') {
          value += '\n';
        } else if (escaped == '\\' || escaped == '"') {
          value += escaped;
        } else {
          return problem = std::string("bad escape \\") + escaped, false;
        }
      } else {
        value += line[i];
      }
    }
    if (i >= line.size()) return problem = "unterminated label value", false;
    if (!labels.emplace(name, value).second) return problem = "repeated label " + name, false;
    pos = i + 1;
    if (pos < line.size() && line[pos] == ',') ++pos;
  }
  if (pos >= line.size()) return problem = "unterminated label set", false;
  ++pos;
  return true;
}

std::string FamilyOf(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string_view view(name);
    if (view.ends_with(suffix)) {
      std::string base(view.substr(0, view.size() - std::string_view(suffix).size()));
      auto it = types.find(base);
      if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
    }
  }
  return name;
}

}  // namespace

ExpositionReport CheckExposition(std::string_view text) {
  ExpositionReport report;
  if (text.empty() || text.back() != '\n') report.problems.push_back("does not end with a newline");
  std::map<std::string, std::string> types;
  std::set<std::string> families_with_samples;
  std::istringstream lines{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const std::string where = "line " + std::to_string(number) + " '" + line + "': ";
    if (line.empty()) {
      report.problems.push_back(where + "empty line");
      continue;
    }
    if (line[0] == '#') {
      std::istringstream fields(line);
      std::string hash, keyword, name, rest;
      fields >> hash >> keyword >> name;
      if (keyword != "HELP" && keyword != "TYPE") continue;  // a plain comment
      if (!std::regex_match(name, kMetricName)) report.problems.push_back(where + "bad name");
      if (keyword == "TYPE") {
        fields >> rest;
        if (!kTypes.count(rest)) report.problems.push_back(where + "unknown type");
        if (types.count(name)) report.problems.push_back(where + "second TYPE for " + name);
        if (families_with_samples.count(name)) {
          report.problems.push_back(where + "TYPE after samples of " + name);
        }
        types[name] = rest;
      }
      continue;
    }
    ExpositionSample sample;
    std::size_t pos = line.find_first_of("{ ");
    sample.name = line.substr(0, pos);
    if (!std::regex_match(sample.name, kMetricName)) {
      report.problems.push_back(where + "bad metric name");
      continue;
    }
    std::string problem;
    if (pos != std::string::npos && line[pos] == '{' &&
        !ParseLabels(line, pos, sample.labels, problem)) {
      report.problems.push_back(where + problem);
      continue;
    }
    if (pos == std::string::npos || line[pos] != ' ') {
      report.problems.push_back(where + "no value");
      continue;
    }
    std::istringstream rest(line.substr(pos + 1));
    std::string value_text, timestamp, extra;
    rest >> value_text >> timestamp >> extra;
    if (!ParseValue(value_text, sample.value)) {
      report.problems.push_back(where + "bad value '" + value_text + "'");
    }
    if (!timestamp.empty() && timestamp.find_first_not_of("-0123456789") != std::string::npos) {
      report.problems.push_back(where + "bad timestamp");
    }
    if (!extra.empty()) report.problems.push_back(where + "trailing text");
    const std::string family = FamilyOf(sample.name, types);
    families_with_samples.insert(family);
    if (types.count(family) && types[family] == "histogram" && sample.name.ends_with("_bucket") &&
        !sample.labels.count("le")) {
      report.problems.push_back(where + "histogram bucket without le");
    }
    report.samples.push_back(std::move(sample));
  }
  return report;
}

}  // namespace patchcast::testing
