include "prelude";
# rules/persistence/webshell_spawns_shell.socc
select(
sysmon(1)
and endswith_any("ParentImage"; ["\\w3wp.exe", "\\httpd.exe", "\\nginx.exe", "\\php-cgi.exe", "\\tomcat.exe", "\\tomcat8.exe", "\\tomcat9.exe"])
and endswith_any("Image"; ["\\cmd.exe", "\\powershell.exe", "\\pwsh.exe", "\\net.exe", "\\net1.exe", "\\whoami.exe", "\\ipconfig.exe", "\\systeminfo.exe", "\\certutil.exe"])
) | input_filename
