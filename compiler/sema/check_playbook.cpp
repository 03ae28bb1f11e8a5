#include <fmt/format.h>

#include <algorithm>

#include "compiler/diagnostics/suggest.h"
#include "compiler/sema/checker.h"

namespace socc::sema {
namespace {

using diagnostics::Kind;

constexpr std::string_view kRiskClasses[] = {
    "enrichment", "notification", "containment", "containment_undo", "eradication",
};

}  // namespace

CheckedAction Checker::check_action(const ast::Module& module, ast::ActionDecl& action) {
  CheckedAction out;
  out.decl = &action;
  for (ast::Param& param : action.params) {
    if (!parse_type(param.type_name.text, &param.type)) {
      sink_->emit(Kind::UnknownType, param.type_name.span,
                  fmt::format("unknown type '{}'", param.type_name.text));
    }
  }
  for (const ast::MetaItem& item : action.meta) {
    const std::string& key = item.key.text;
    const std::string& first = item.values.front().text;
    if (key == "risk") {
      if (std::find(std::begin(kRiskClasses), std::end(kRiskClasses), first) ==
          std::end(kRiskClasses)) {
        sink_->emit(Kind::InvalidMetadataValue, item.values.front().span,
                    fmt::format("unknown risk class '{}'", first));
      }
      out.risk = first;
    } else if (key == "undo") {
      out.undo = first;
      ast::Name undo{first, item.values.front().span};
      scopes_.lookup(module, undo, &ModuleSymbols::actions, Kind::UnknownAction, "action");
    } else if (key == "permission") {
      for (const auto& value : item.values) out.permissions.push_back(value.text);
    } else {
      auto& d = sink_->emit(Kind::UnknownMetadataKey, item.key.span,
                            fmt::format("unknown action item '{}'", key));
      diagnostics::suggest(d, key, {"risk", "undo", "permission"});
    }
  }
  if (out.risk.empty()) {
    sink_->emit(Kind::MissingMetadata, action.name.span,
                fmt::format("action '{}' has no 'risk' class", action.name.text));
  }
  return out;
}

void Checker::check_playbook(const ast::Module& module, ast::PlaybookDecl& playbook,
                             const Program& program, CheckedPlaybook& out) {
  out.decl = &playbook;
  ExprEnv env;
  env.module = &module;
  env.in_playbook = true;
  for (const CheckedDetection& detection : program.detections) {
    if (detection.playbook == &playbook && detection.schema != nullptr) {
      env.event_schemas.push_back(detection.schema);
    }
  }
  if (playbook.steps.empty()) {
    sink_->emit(Kind::EmptyPlaybook, playbook.name.span,
                fmt::format("playbook '{}' has no steps", playbook.name.text));
  }

  std::vector<std::string> step_names;
  for (ast::Step& step : playbook.steps) {
    if (std::find(step_names.begin(), step_names.end(), step.name.text) != step_names.end()) {
      sink_->emit(Kind::DuplicateDeclaration, step.name.span,
                  fmt::format("step '{}' is declared twice", step.name.text));
    }
    step_names.push_back(step.name.text);

    const ast::ActionDecl* action =
        scopes_.lookup(module, step.action, &ModuleSymbols::actions, Kind::UnknownAction, "action");
    const CheckedAction* checked = nullptr;
    for (const CheckedAction& candidate : program.actions) {
      if (candidate.decl == action) checked = &candidate;
    }
    out.step_actions.push_back(checked);
    if (step.when) check_condition(*step.when, env);
    if (action == nullptr) {
      for (ast::Arg& arg : step.args) check_value(*arg.value, env);
      continue;
    }

    std::vector<std::string> given;
    for (ast::Arg& arg : step.args) {
      ast::Type type = check_value(*arg.value, env);
      auto param = std::find_if(action->params.begin(), action->params.end(),
                                [&](const ast::Param& p) { return p.name.text == arg.name.text; });
      if (param == action->params.end()) {
        auto& d = sink_->emit(
            Kind::ArgumentCount, arg.name.span,
            fmt::format("action '{}' has no parameter '{}'", action->name.text, arg.name.text));
        std::vector<std::string> names;
        for (const auto& p : action->params) names.push_back(p.name.text);
        diagnostics::suggest(d, arg.name.text, names);
        continue;
      }
      if (std::find(given.begin(), given.end(), arg.name.text) != given.end()) {
        sink_->emit(Kind::ArgumentCount, arg.name.span,
                    fmt::format("argument '{}' is given twice", arg.name.text));
      }
      given.push_back(arg.name.text);
      if (type != ast::Type::Error && type != param->type) {
        sink_->emit(Kind::ArgumentType, arg.value->span,
                    fmt::format("parameter '{}' of '{}' is {}, but the argument "
                                "is {}",
                                param->name.text, action->name.text, ast::type_name(param->type),
                                ast::type_name(type)));
      }
    }
    for (const ast::Param& param : action->params) {
      if (std::find(given.begin(), given.end(), param.name.text) == given.end()) {
        sink_->emit(Kind::ArgumentCount, step.action.span,
                    fmt::format("missing argument '{}' of action '{}'", param.name.text,
                                action->name.text));
      }
    }
  }
}

}  // namespace socc::sema
