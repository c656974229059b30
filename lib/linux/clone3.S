/*
 * long spx_clone3(struct clone_args *args, size_t size, int (*fn)(void *), void *arg)
 * long spx_clone(unsigned long flags, void *stack_top, int *pidfd, int (*fn)(void *), void *arg)
 *
 * clone3(2) and clone(2) return in the child on the new stack with nothing
 * of the caller's frame usable, so the child side must be assembly: it calls
 * fn(arg) and exits with its result. The parent side returns the pid or
 * -errno. spx_clone is the fallback for kernels (or seccomp profiles)
 * without clone3; it is a raw system call too, so no libc or sanitizer code
 * ever runs in the child. With CLONE_PIDFD, clone(2) stores the pidfd
 * through its parent_tid argument.
 *
 * Both entries are indirect-branch targets (endbr64 / bti c) and the object
 * carries the GNU property note, so a -fcf-protection (or
 * -mbranch-protection) build of the library stays IBT/SHSTK (BTI) marked.
 * With CLONE_VFORK the child runs on the parent's shadow stack, as glibc's
 * vfork does; the parent is suspended meanwhile.
 */
#if defined(__x86_64__)
	.text
	.globl spx_clone3
	.hidden spx_clone3
	.type spx_clone3, @function
spx_clone3:
	.cfi_startproc
	endbr64
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

	.globl spx_clone
	.hidden spx_clone
	.type spx_clone, @function
spx_clone:
	.cfi_startproc
	endbr64
	/* fn and arg travel on the child's stack: only rax, rcx and r11
	   differ after the system call, too few registers for both. */
	and $-16, %rsi
	sub $16, %rsi
	mov %r8, (%rsi)        /* arg */
	mov %rcx, 8(%rsi)      /* fn */
	xor %r10d, %r10d       /* child_tid */
	xor %r8d, %r8d         /* tls */
	mov $56, %eax          /* __NR_clone(flags, newsp, parent_tid, child_tid, tls) */
	syscall
	test %rax, %rax
	jz 1f
	ret
1:	.cfi_undefined rip
	xor %ebp, %ebp
	pop %rdi               /* arg */
	pop %rax               /* fn; rsp is 16-byte aligned again */
	call *%rax
	mov %eax, %edi
	mov $231, %eax
	syscall
	hlt
	.cfi_endproc
	.size spx_clone, .-spx_clone

	/* GNU_PROPERTY_X86_FEATURE_1_AND: IBT | SHSTK. */
	.section .note.gnu.property,"a"
	.p2align 3
	.long 4                /* name size */
	.long 16               /* descriptor size */
	.long 5                /* NT_GNU_PROPERTY_TYPE_0 */
	.asciz "GNU"
	.long 0xc0000002       /* GNU_PROPERTY_X86_FEATURE_1_AND */
	.long 4
	.long 3
	.p2align 3
#elif defined(__aarch64__)
	.text
	.globl spx_clone3
	.hidden spx_clone3
	.type spx_clone3, %function
spx_clone3:
	hint #34               /* bti c */
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

	.globl spx_clone
	.hidden spx_clone
	.type spx_clone, %function
spx_clone:
	hint #34               /* bti c */
	mov x9, x3             /* fn */
	mov x10, x4            /* arg */
	and x1, x1, #-16
	mov x3, xzr            /* tls */
	mov x4, xzr            /* child_tid */
	mov x8, #220           /* __NR_clone(flags, newsp, parent_tid, tls, child_tid) */
	svc #0
	cbz x0, 1f
	ret
1:	mov x29, xzr
	mov x30, xzr
	mov x0, x10
	blr x9
	mov x8, #94
	svc #0
	brk #0
	.size spx_clone, .-spx_clone

	/* GNU_PROPERTY_AARCH64_FEATURE_1_AND: BTI. */
	.section .note.gnu.property,"a"
	.p2align 3
	.long 4
	.long 16
	.long 5
	.asciz "GNU"
	.long 0xc0000000
	.long 4
	.long 1
	.p2align 3
#else
#error "spx: add clone3 and clone trampolines for this architecture"
#endif
	.section .note.GNU-stack,"",%progbits
