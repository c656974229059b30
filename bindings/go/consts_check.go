package spx

/*
#include <spx.h>
*/
import "C"

// The constants of this package repeat spx.h's values so that they show in
// the documentation. This function does not compile if one differs: a
// constant index other than 0 is out of range.
func _() {
	var x [1]struct{}
	_ = x[StageNone-C.SPX_STAGE_NONE]
	_ = x[StagePrepare-C.SPX_STAGE_PREPARE]
	_ = x[StageClone-C.SPX_STAGE_CLONE]
	_ = x[StageChroot-C.SPX_STAGE_CHROOT]
	_ = x[StageChdir-C.SPX_STAGE_CHDIR]
	_ = x[StageBounding-C.SPX_STAGE_BOUNDING]
	_ = x[StageSetgroups-C.SPX_STAGE_SETGROUPS]
	_ = x[StageSetgid-C.SPX_STAGE_SETGID]
	_ = x[StageSetuid-C.SPX_STAGE_SETUID]
	_ = x[StageCaps-C.SPX_STAGE_CAPS]
	_ = x[StageAmbient-C.SPX_STAGE_AMBIENT]
	_ = x[StageFDs-C.SPX_STAGE_FDS]
	_ = x[StageNoNewPrivs-C.SPX_STAGE_NO_NEW_PRIVS]
	_ = x[StageLandlock-C.SPX_STAGE_LANDLOCK]
	_ = x[StageSeccomp-C.SPX_STAGE_SECCOMP]
	_ = x[StageExec-C.SPX_STAGE_EXEC]
	_ = x[StageSignals-C.SPX_STAGE_SIGNALS]
	_ = x[StageAppContainer-C.SPX_STAGE_APPCONTAINER]
	_ = x[StageCreateProcess-C.SPX_STAGE_CREATE_PROCESS]
	_ = x[LandlockFSExecute-C.SPX_LANDLOCK_FS_EXECUTE]
	_ = x[LandlockFSWriteFile-C.SPX_LANDLOCK_FS_WRITE_FILE]
	_ = x[LandlockFSReadFile-C.SPX_LANDLOCK_FS_READ_FILE]
	_ = x[LandlockFSReadDir-C.SPX_LANDLOCK_FS_READ_DIR]
	_ = x[LandlockFSRemoveDir-C.SPX_LANDLOCK_FS_REMOVE_DIR]
	_ = x[LandlockFSRemoveFile-C.SPX_LANDLOCK_FS_REMOVE_FILE]
	_ = x[LandlockFSMakeChar-C.SPX_LANDLOCK_FS_MAKE_CHAR]
	_ = x[LandlockFSMakeDir-C.SPX_LANDLOCK_FS_MAKE_DIR]
	_ = x[LandlockFSMakeReg-C.SPX_LANDLOCK_FS_MAKE_REG]
	_ = x[LandlockFSMakeSock-C.SPX_LANDLOCK_FS_MAKE_SOCK]
	_ = x[LandlockFSMakeFifo-C.SPX_LANDLOCK_FS_MAKE_FIFO]
	_ = x[LandlockFSMakeBlock-C.SPX_LANDLOCK_FS_MAKE_BLOCK]
	_ = x[LandlockFSMakeSym-C.SPX_LANDLOCK_FS_MAKE_SYM]
	_ = x[LandlockFSRefer-C.SPX_LANDLOCK_FS_REFER]
	_ = x[LandlockFSTruncate-C.SPX_LANDLOCK_FS_TRUNCATE]
	_ = x[LandlockFSIoctlDev-C.SPX_LANDLOCK_FS_IOCTL_DEV]
	_ = x[LandlockFSRO-C.SPX_LANDLOCK_FS_RO]
	_ = x[LandlockFSROX-C.SPX_LANDLOCK_FS_ROX]
	_ = x[LandlockFSRW-C.SPX_LANDLOCK_FS_RW]
	_ = x[LandlockNetBindTCP-C.SPX_LANDLOCK_NET_BIND_TCP]
	_ = x[LandlockNetConnectTCP-C.SPX_LANDLOCK_NET_CONNECT_TCP]
	_ = x[LandlockScopeAbstractUnixSocket-C.SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET]
	_ = x[LandlockScopeSignal-C.SPX_LANDLOCK_SCOPE_SIGNAL]
	_ = x[LandlockNotEnforced-C.SPX_LANDLOCK_NOT_ENFORCED]
	_ = x[LandlockPartiallyEnforced-C.SPX_LANDLOCK_PARTIALLY_ENFORCED]
	_ = x[LandlockFullyEnforced-C.SPX_LANDLOCK_FULLY_ENFORCED]
	_ = x[ActAllow-C.SPX_SECCOMP_ALLOW]
	_ = x[ActKillProcess-C.SPX_SECCOMP_KILL_PROCESS]
	_ = x[ActLog-C.SPX_SECCOMP_LOG]
	_ = x[ActTrap-C.SPX_SECCOMP_TRAP]
}
