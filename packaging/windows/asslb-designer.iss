; Inno Setup script of the Windows installer. Built by packaging/build.py on Windows, which
; runs the PyInstaller spec first and then:
;   ISCC.exe /DAppVersion=0.1.0 /DAppSource=dist\asslb-designer /Odist packaging\windows\asslb-designer.iss
; Per-user install by default (no administrator rights needed); the user may choose all users.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z (build.py reads it from the package metadata)
#endif
#ifndef AppSource
  #define AppSource "..\..\dist\asslb-designer"
#endif

[Setup]
AppId={{F398927F-BEBC-4FC0-B76F-11014DE3B20B}
AppName=ASSLB Designer
AppVersion={#AppVersion}
AppPublisher=ASSLB Designer developers
AppComments=Cell design and energy density of all-solid-state lithium batteries
DefaultDirName={autopf}\ASSLB Designer
DefaultGroupName=ASSLB Designer
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=asslb-designer-{#AppVersion}-windows-x64-setup
SetupIconFile=..\icon\asslb-designer.ico
UninstallDisplayIcon={app}\ASSLB Designer.exe
LicenseFile=..\..\LICENSE
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the asslb-designer command to PATH (for the command line)"; Flags: unchecked

[Files]
Source: "{#AppSource}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\ASSLB Designer"; Filename: "{app}\ASSLB Designer.exe"
Name: "{group}\Licenses"; Filename: "{app}\_internal\licenses"
Name: "{group}\Uninstall ASSLB Designer"; Filename: "{uninstallexe}"
Name: "{autodesktop}\ASSLB Designer"; Filename: "{app}\ASSLB Designer.exe"; Tasks: desktopicon

[Registry]
; PATH for the console executable asslb-designer.exe (per-user environment)
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\ASSLB Designer.exe"; Description: "{cm:LaunchProgram,ASSLB Designer}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
    Path := '';
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;
