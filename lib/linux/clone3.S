/*
 * long spx_clone3(struct clone_args *args, size_t size, int (*fn)(void *), void *arg)
 *
 * clone3(2) returns in the child on the new stack with nothing of the
 * caller's frame usable, so the child side must be assembly: it calls
 * fn(arg) and exits with its result. The parent side returns the pid or
 * -errno. Registers that survive the system call carry fn and arg across.
 */
#if defined(__x86_64__)
	.text
	.globl spx_clone3
	.hidden spx_clone3
	.type spx_clone3, @function
spx_clone3:
	.cfi_startproc
#ifdef __CET__
	endbr64
#endif
	mov %rcx, %r8          /* arg: rcx is clobbered by syscall */
	mov %rdx, %r9          /* fn */
	mov $435, %eax         /* __NR_clone3 */
	syscall
	test %rax, %rax
	jz 1f
	ret                    /* parent (pid) or failure (-errno) */
1:	.cfi_undefined rip
	xor %ebp, %ebp         /* child: outermost frame */
	mov %r8, %rdi
	call *%r9
	mov %eax, %edi
	mov $231, %eax         /* exit_group: fn never returns in practice */
	syscall
	hlt
	.cfi_endproc
	.size spx_clone3, .-spx_clone3
#elif defined(__aarch64__)
	.text
	.globl spx_clone3
	.hidden spx_clone3
	.type spx_clone3, %function
spx_clone3:
	mov x9, x2             /* fn: the kernel preserves x1-x30 */
	mov x10, x3            /* arg */
	mov x8, #435           /* __NR_clone3 */
	svc #0
	cbz x0, 1f
	ret
1:	mov x29, xzr
	mov x30, xzr
	mov x0, x10
	blr x9
	mov x8, #94            /* exit_group */
	svc #0
	brk #0
	.size spx_clone3, .-spx_clone3
#else
#error "spx: add a clone3 trampoline for this architecture"
#endif
	.section .note.GNU-stack,"",%progbits
