#pragma once

// Lets doctest print lists of diagnostic codes when a check fails.

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace doctest {

template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& values) {
    std::string text = "{";
    for (size_t i = 0; i < values.size(); ++i) {
      text += (i == 0 ? "\"" : ", \"") + values[i] + "\"";
    }
    return (text + "}").c_str();
  }
};

}  // namespace doctest
