/* The smallest possible child: a static executable whose whole program is
 * `_start: exit(0)`. No libc, no dynamic loader, no relocations, so a spawn
 * of it measures the spawner and the kernel's exec, nothing else.
 * Built with -nostdlib -static (bench/meson.build).
 * SPDX-License-Identifier: MIT */

#if defined(__x86_64__)
__asm__(".text\n"
        ".globl _start\n"
        ".type _start, @function\n"
        "_start:\n"
        "    mov $231, %eax\n" /* exit_group */
        "    xor %edi, %edi\n" /* status 0 */
        "    syscall\n"
        "    hlt\n");
#elif defined(__aarch64__)
__asm__(".text\n"
        ".globl _start\n"
        ".type _start, %function\n"
        "_start:\n"
        "    mov x8, #94\n" /* exit_group */
        "    mov x0, #0\n"  /* status 0 */
        "    svc #0\n"
        "    brk #0\n");
#else
#error "tiny_child: only x86_64 and aarch64 are supported"
#endif
