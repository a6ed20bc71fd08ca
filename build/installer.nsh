; Stint's additions to electron-builder's NSIS installer (electron-builder.yml: nsis.include).
;
;   Stint-<version>-x64.exe /S /POLICY=\\fileserver\it\stint\policy.json
;
; /POLICY=<file> copies a managed policy file to %ProgramData%\Stint\policy.json when the app is
; installed, and locks the folder so only SYSTEM and Administrators may change it (users read).
; A relative <file> is looked for in the working directory, then beside the installer.
; A /POLICY that names a missing file stops the install with exit code 2 before anything is
; installed, so Intune or GPO reports a failure instead of deploying an unconfigured tracker.
; Without /POLICY an existing policy file is left as it is. Uninstall never removes the policy
; nor any user's %APPDATA%\Stint\data (the outbox and unsynced screenshots).

Var stintPolicyFile

!macro customInit
  StrCpy $stintPolicyFile ""
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/POLICY=" $R1
  ${IfNot} ${Errors}
    ${If} ${FileExists} "$R1"
      StrCpy $stintPolicyFile "$R1"
    ${ElseIf} ${FileExists} "$EXEDIR\$R1"
      StrCpy $stintPolicyFile "$EXEDIR\$R1"
    ${Else}
      MessageBox MB_OK|MB_ICONSTOP "Stint: the policy file $R1 (/POLICY=) does not exist." /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
  ${EndIf}
!macroend

!macro customInstall
  ${If} $stintPolicyFile != ""
    CreateDirectory "$COMMONAPPDATA\Stint"
    ; SYSTEM and Administrators full control, Users read and execute; nothing inherited from
    ; %ProgramData% (whose default lets any user create and own files there).
    nsExec::ExecToLog 'icacls "$COMMONAPPDATA\Stint" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
    Pop $R2
    ClearErrors
    CopyFiles /SILENT "$stintPolicyFile" "$COMMONAPPDATA\Stint\policy.json.new"
    ${IfNot} ${Errors}
      Delete "$COMMONAPPDATA\Stint\policy.json"
      Rename "$COMMONAPPDATA\Stint\policy.json.new" "$COMMONAPPDATA\Stint\policy.json"
    ${EndIf}
    ${If} ${FileExists} "$COMMONAPPDATA\Stint\policy.json"
      DetailPrint "Stint: managed policy written to $COMMONAPPDATA\Stint\policy.json"
    ${Else}
      MessageBox MB_OK|MB_ICONSTOP "Stint: could not write $COMMONAPPDATA\Stint\policy.json." /SD IDOK
      SetErrorLevel 2
    ${EndIf}
  ${EndIf}
!macroend
