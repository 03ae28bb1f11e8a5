include "prelude";
# rules/discovery/whoami_as_system.socc
select(
sysmon(1)
and endswith_("Image"; "\\whoami.exe")
and eq("IntegrityLevel"; "System")
) | input_filename
