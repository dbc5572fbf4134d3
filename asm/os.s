# os.s - the only file of the Morph memory builtins that makes system calls.
#
# Every system call the builtins need goes through one small function here,
# so that the harness can link a simulated OS (harness/simos) in place of this
# file and drive mappings, the clock, the daemon's directory and failures
# deterministically.  Each wrapper follows the System V calling convention:
# arguments in rdi, rsi, rdx, rcx, r8, r9; the kernel's raw result in rax,
# which is a negative errno (-4095..-1) on failure.  The kernel takes the
# fourth argument in r10 rather than rcx, and `syscall` clobbers rcx and r11,
# both caller-saved, so no wrapper needs a stack frame.

        .include "layout.inc"

        .text

# SYSCALL_WRAPPER name, number: a leaf that forwards up to three arguments.
.macro SYSCALL_WRAPPER name, number
        .globl \name
        .type \name, @function
        .p2align 4
\name:
        movl    $\number, %eax
        syscall
        ret
        .size \name, . - \name
.endm

# SYSCALL_WRAPPER4 name, number: as above, with a fourth argument moved to r10.
.macro SYSCALL_WRAPPER4 name, number
        .globl \name
        .type \name, @function
        .p2align 4
\name:
        movq    %rcx, %r10
        movl    $\number, %eax
        syscall
        ret
        .size \name, . - \name
.endm

# long __mf_os_read(int fd, void *buf, size_t len)
        SYSCALL_WRAPPER __mf_os_read, SYSNO_read
# long __mf_os_write(int fd, const void *buf, size_t len)
        SYSCALL_WRAPPER __mf_os_write, SYSNO_write
# long __mf_os_close(int fd)
        SYSCALL_WRAPPER __mf_os_close, SYSNO_close
# long __mf_os_fstat(int fd, struct stat *st)
        SYSCALL_WRAPPER __mf_os_fstat, SYSNO_fstat
# long __mf_os_getpid(void)
        SYSCALL_WRAPPER __mf_os_getpid, SYSNO_getpid
# long __mf_os_getuid(void)
        SYSCALL_WRAPPER __mf_os_getuid, SYSNO_getuid
# long __mf_os_fork(void): raw fork; the child returns 0.
        SYSCALL_WRAPPER __mf_os_fork, SYSNO_fork
# long __mf_os_setsid(void)
        SYSCALL_WRAPPER __mf_os_setsid, SYSNO_setsid
# long __mf_os_kill(long pid, int sig)
        SYSCALL_WRAPPER __mf_os_kill, SYSNO_kill
# long __mf_os_nanosleep(const struct timespec *req, struct timespec *rem)
        SYSCALL_WRAPPER __mf_os_nanosleep, SYSNO_nanosleep
# long __mf_os_sigaltstack(const stack_t *ss, stack_t *old)
        SYSCALL_WRAPPER __mf_os_sigaltstack, SYSNO_sigaltstack
# long __mf_os_getdents64(int fd, void *buf, size_t len)
        SYSCALL_WRAPPER __mf_os_getdents64, SYSNO_getdents64
# long __mf_os_unlinkat(int dirfd, const char *path, int flags)
        SYSCALL_WRAPPER __mf_os_unlinkat, SYSNO_unlinkat
# long __mf_os_openat(int dirfd, const char *path, int flags, int mode)
        SYSCALL_WRAPPER4 __mf_os_openat, SYSNO_openat
# long __mf_os_fstatat(int dirfd, const char *path, struct stat *st, int flags)
        SYSCALL_WRAPPER4 __mf_os_fstatat, SYSNO_fstatat
# long __mf_os_rt_sigaction(int sig, const struct k_sigaction *act,
#                           struct k_sigaction *old, size_t sigsetsize)
        SYSCALL_WRAPPER4 __mf_os_rt_sigaction, SYSNO_rt_sigaction
# long __mf_os_rt_sigprocmask(int how, const sigset_t *set, sigset_t *old,
#                             size_t sigsetsize)
        SYSCALL_WRAPPER4 __mf_os_rt_sigprocmask, SYSNO_rt_sigprocmask
# long __mf_os_flock(int fd, int operation)
        SYSCALL_WRAPPER __mf_os_flock, SYSNO_flock

# void *__mf_os_mmap(size_t len)
#   Maps len bytes of fresh, zeroed, private read-write memory anywhere; a
#   len that is a multiple of SLAB_SIZE gets an address aligned to SLAB_SIZE
#   (the allocator finds a slab by masking a pointer).  The kernel only
#   promises OS_PAGE_SIZE alignment, so such a mapping is carved from one of
#   len + SLAB_SIZE - OS_PAGE_SIZE bytes whose unused head and tail are
#   unmapped at once (never touched, they cost no memory; a refused unmap of
#   them would only leave address space reserved).
#   Result: the address, or a negative errno (callers test with the sign).
#   Clobbers: rax, rcx, rdx, rsi, rdi, r8, r9, r10, r11.
        .globl __mf_os_mmap
        .type __mf_os_mmap, @function
        .p2align 4
__mf_os_mmap:
        testl   $SLAB_SIZE - 1, %edi
        jnz     .Lmmap_any
        testq   %rdi, %rdi
        jnz     .Lmmap_aligned
.Lmmap_any:
        movq    %rdi, %rsi              # len
        xorl    %edi, %edi              # let the kernel choose the address
        movl    $3, %edx                # PROT_READ | PROT_WRITE
        movl    $0x22, %r10d            # MAP_PRIVATE | MAP_ANONYMOUS
        movq    $-1, %r8                # no file
        xorl    %r9d, %r9d              # offset 0
        movl    $SYSNO_mmap, %eax
        syscall
        ret
.Lmmap_aligned:
        pushq   %rbx
        pushq   %r12
        movq    %rdi, %rbx              # rbx = len
        leaq    SLAB_SIZE - OS_PAGE_SIZE(%rdi), %rdi
        call    .Lmmap_any
        testq   %rax, %rax
        js      .Lmmap_done
        movq    %rax, %r12              # r12 = the larger mapping
        leaq    SLAB_SIZE - 1(%rax), %rdi
        andq    $-SLAB_SIZE, %rdi       # rdi = the aligned start
        pushq   %rdi
        # The tail first (its bounds use the aligned start), then the head.
        leaq    (%rdi,%rbx), %rdi       # end of the aligned mapping
        leaq    SLAB_SIZE - OS_PAGE_SIZE(%r12,%rbx), %rsi
        subq    %rdi, %rsi              # tail length
        jz      1f
        movl    $SYSNO_munmap, %eax
        syscall
1:      movq    (%rsp), %rsi
        subq    %r12, %rsi              # head length
        jz      2f
        movq    %r12, %rdi
        movl    $SYSNO_munmap, %eax
        syscall
2:      popq    %rax                    # the aligned start
.Lmmap_done:
        popq    %r12
        popq    %rbx
        ret
        .size __mf_os_mmap, . - __mf_os_mmap

# long __mf_os_munmap(void *addr, size_t len): 0 or a negative errno.
        SYSCALL_WRAPPER __mf_os_munmap, SYSNO_munmap

# long __mf_os_time(void): the current UNIX time in seconds.
        .globl __mf_os_time
        .type __mf_os_time, @function
        .p2align 4
__mf_os_time:
        xorl    %edi, %edi              # no output pointer: result in rax only
        movl    $SYSNO_time, %eax
        syscall
        ret
        .size __mf_os_time, . - __mf_os_time

# void __mf_os_exit(int code): ends the whole process (every thread) with code.
#   Does not return.
        .globl __mf_os_exit
        .type __mf_os_exit, @function
        .p2align 4
__mf_os_exit:
        movl    $SYSNO_exit_group, %eax
        syscall
        hlt                             # unreachable: fault loudly if it ever is
        .size __mf_os_exit, . - __mf_os_exit

# __mf_os_sigreturn: the signal trampoline (sa_restorer) that the x86-64 kernel
#   requires for every handler.  Never called; the kernel returns into it with
#   rsp at the saved signal frame.
        .globl __mf_os_sigreturn
        .type __mf_os_sigreturn, @function
        .p2align 4
__mf_os_sigreturn:
        movl    $SYSNO_rt_sigreturn, %eax
        syscall
        hlt
        .size __mf_os_sigreturn, . - __mf_os_sigreturn

        .section .note.GNU-stack, "", @progbits
