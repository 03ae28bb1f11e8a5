include "prelude";
# rules/persistence/application_shim_install.socc
select(
sysmon(11)
and contains_("TargetFilename"; "\\AppPatch\\Custom\\")
and endswith_("TargetFilename"; ".sdb")
) | input_filename
