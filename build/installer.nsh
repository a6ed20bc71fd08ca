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

; Variables of their own: electron-builder's code around these macros uses the $R registers.
; Only in the installer pass: the uninstaller pass (BUILD_UNINSTALLER) inserts neither macro, and
; an unused variable is a warning, which electron-builder treats as an error.
!ifndef BUILD_UNINSTALLER
  Var stintPolicyFile
  Var stintArgs
  Var stintArg
  Var stintDir
  Var stintIcacls
!endif

!macro customInit
  StrCpy $stintPolicyFile ""
  ${GetParameters} $stintArgs
  ClearErrors
  ${GetOptions} $stintArgs "/POLICY=" $stintArg
  ${IfNot} ${Errors}
    ${If} ${FileExists} "$stintArg"
      StrCpy $stintPolicyFile "$stintArg"
    ${ElseIf} ${FileExists} "$EXEDIR\$stintArg"
      StrCpy $stintPolicyFile "$EXEDIR\$stintArg"
    ${Else}
      MessageBox MB_OK|MB_ICONSTOP "Stint: the policy file $stintArg (/POLICY=) does not exist." /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
  ${EndIf}
!macroend

!macro customInstall
  ${If} $stintPolicyFile != ""
    ; %ProgramData% itself (NSIS's $APPDATA would depend on the shell context).
    ReadEnvStr $stintDir "ProgramData"
    CreateDirectory "$stintDir\Stint"
    ; SYSTEM and Administrators full control, Users read and execute; nothing inherited from
    ; %ProgramData% (whose default lets any user create and own files there).
    nsExec::ExecToLog 'icacls "$stintDir\Stint" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
    Pop $stintIcacls
    ClearErrors
    CopyFiles /SILENT "$stintPolicyFile" "$stintDir\Stint\policy.json.new"
    ${IfNot} ${Errors}
      Delete "$stintDir\Stint\policy.json"
      Rename "$stintDir\Stint\policy.json.new" "$stintDir\Stint\policy.json"
    ${EndIf}
    ${If} ${FileExists} "$stintDir\Stint\policy.json"
      DetailPrint "Stint: managed policy written to $stintDir\Stint\policy.json"
    ${Else}
      MessageBox MB_OK|MB_ICONSTOP "Stint: could not write $stintDir\Stint\policy.json." /SD IDOK
      SetErrorLevel 2
    ${EndIf}
  ${EndIf}
!macroend
