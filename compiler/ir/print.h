#pragma once

#include <string>

#include "compiler/ir/ir.h"

namespace socc::ir {

// A readable listing of one rule's IR: its schema selection and condition
// with slots named by raw path, as `socc explain` prints it.
std::string print_rule(const Pack& pack, int rule);

std::string print_node(const Pack& pack, const Node& node);

}  // namespace socc::ir
