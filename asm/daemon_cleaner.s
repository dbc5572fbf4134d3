# daemon_cleaner.s - the background cleaner of the Morph runtime's monitor
# directory (docs/spec.md, "The daemon cleaner").
#
# The directory is written by other programs, so everything read from it is
# hostile until checked: a name is looked at only within its getdents64
# record, a content only within DAEMON_CONTENT_MAX bytes, a pid only once it
# parsed in full and lies in 2..daemon_pid_max (and below 2^31, since the
# kernel reads a pid as a 32-bit int: 4294967295 would be kill(-1)).  Files
# are opened relative to the directory's descriptor without following links
# and without blocking, and only regular files are read.  Every buffer lives
# in the frame of the function that fills it and every write into one is
# bounded by its end.
#
# Layout of this file: the configuration globals; the text helpers (decimal
# parsing, the log line); the directory pass shared by the two cleaners; the
# meminfo reader; daemon_start and the daemon's loop.

        .include "layout.inc"

        .section .rodata
default_monitor_dir:    .asciz "/tmp/morph_swap_monitor"
default_meminfo_path:   .asciz "/proc/meminfo"
log_prefix:             .asciz "morph-cleaner: "
prefix_snapshot:        .ascii "snapshot_"
.equ PREFIX_SNAPSHOT_LEN, 9
prefix_sandbox:         .ascii "sandbox_"
.equ PREFIX_SANDBOX_LEN, 8
proc_dir:               .ascii "/proc/"
.equ PROC_DIR_LEN, 6
key_mem_total:          .ascii "MemTotal:"
.equ KEY_MEM_TOTAL_LEN, 9
key_mem_available:      .ascii "MemAvailable:"
.equ KEY_MEM_AVAILABLE_LEN, 13
key_mem_free:           .ascii "MemFree:"
.equ KEY_MEM_FREE_LEN, 8
hex_digits:             .ascii "0123456789abcdef"

msg_unlinked:           .asciz "unlinked "
msg_cannot_unlink:      .asciz "cannot unlink "
msg_skipped:            .asciz "skipped "
msg_refused:            .asciz "refused "
msg_cannot_read:        .asciz "cannot read "
msg_already_held:       .asciz "a cleaner already holds "
msg_cannot_parse:       .asciz "cannot parse "
msg_signalled:          .asciz "signalled "
msg_not_signalled:      .asciz "not signalled "
msg_for:                .asciz " for "
msg_colon:              .asciz ": "
msg_memory_used:        .asciz "memory used "
msg_above_threshold:    .asciz "% is above the threshold of "
msg_percent:            .asciz "%"
why_invalid_pid:        .asciz "invalid pid"
why_not_regular:        .asciz "not a regular file"
why_no_timestamp:       .asciz "no valid timestamp"
why_future:             .asciz "timestamp in the future"
why_itself:             .asciz "the cleaner itself"
why_no_process:         .asciz "no such process"
why_foreign_process:    .asciz "owned by another user"
why_kill_failed:        .asciz "kill failed"
why_cannot_open_dir:    .asciz "cannot open as a directory without following a link"
why_foreign_dir:        .asciz "not owned by the running user"
why_writable_dir:       .asciz "writable by group or others"

# Flags of every open (docs/spec.md, "The directory").
.equ OPEN_DIR_FLAGS,    LINUX_O_DIRECTORY | LINUX_O_NOFOLLOW | LINUX_O_CLOEXEC
.equ OPEN_ENTRY_FLAGS,  LINUX_O_NOFOLLOW | LINUX_O_NONBLOCK | LINUX_O_NOCTTY | LINUX_O_CLOEXEC
.equ OPEN_MEMINFO_FLAGS, LINUX_O_CLOEXEC
.equ PID_INT_MAX,       0x7FFFFFFF      # the kernel's pid_t is a 32-bit int
.equ KIND_SNAPSHOT,     0
.equ KIND_SANDBOX,      1

        # Mutable state lives in morph_state (see docs/spec.md, Conventions):
        # the simulated OS snapshots and restores that section between runs.
        .section morph_state, "aw", @progbits   # one type for every file: see docs/spec.md
        .p2align 3
        .globl daemon_monitor_dir, daemon_meminfo_path, daemon_snapshot_ttl
        .globl daemon_sandbox_ttl, daemon_interval, daemon_mem_threshold
        .globl daemon_log_fd, daemon_pid_max
daemon_monitor_dir:     .quad default_monitor_dir
daemon_meminfo_path:    .quad default_meminfo_path
daemon_snapshot_ttl:    .quad DAEMON_SNAPSHOT_TTL
daemon_sandbox_ttl:     .quad DAEMON_SANDBOX_TTL
daemon_interval:        .quad DAEMON_LOOP_SECONDS
daemon_mem_threshold:   .quad DAEMON_MEM_THRESHOLD
daemon_log_fd:          .quad DAEMON_LOG_FD
daemon_pid_max:         .quad DAEMON_PID_MAX
# Set by the daemon's SIGTERM handler, read by its loop (in the forked child
# only; the caller's copy stays 0).
stop_requested:         .quad 0

        .text

# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------

# parse_canonical(rdi = text, rsi = length) -> rax
#   The value of a canonical decimal (digits only, no leading zero unless it
#   is "0", at least one digit) below 2^63, or -1 when the text is not one.
#   Leaf.  Clobbers: rax, rcx, rdx, rsi, rdi.
        .type parse_canonical, @function
        .p2align 4
parse_canonical:
        testq   %rsi, %rsi
        jz      .Lparse_bad
        cmpq    $1, %rsi
        je      1f
        cmpb    $'0', (%rdi)            # a leading zero makes two spellings of one value
        je      .Lparse_bad
1:      xorl    %eax, %eax
.Lparse_digit:
        movzbl  (%rdi), %ecx
        subl    $'0', %ecx
        cmpl    $9, %ecx
        ja      .Lparse_bad             # unsigned: below '0' wraps above 9 too
        imulq   $10, %rax
        jo      .Lparse_bad
        addq    %rcx, %rax
        jo      .Lparse_bad             # past 2^63 - 1: out of range
        incq    %rdi
        decq    %rsi
        jnz     .Lparse_digit
        ret
.Lparse_bad:
        movq    $-1, %rax
        ret
        .size parse_canonical, . - parse_canonical

# has_prefix(rdi = text, rsi = text length, rdx = prefix, rcx = prefix length)
#   -> eax = 1 when the text starts with the prefix, else 0.
#   Leaf.  Clobbers: rax, rcx, rdx, rdi, r8.
        .type has_prefix, @function
        .p2align 4
has_prefix:
        xorl    %eax, %eax
        cmpq    %rcx, %rsi
        jb      2f
        testq   %rcx, %rcx
        jz      1f
.Lprefix_byte:
        movzbl  (%rdi), %r8d
        cmpb    (%rdx), %r8b
        jne     2f
        incq    %rdi
        incq    %rdx
        decq    %rcx
        jnz     .Lprefix_byte
1:      movl    $1, %eax
2:      ret
        .size has_prefix, . - has_prefix

# The log line is built by the append_* helpers, which share one convention:
# rdi is the cursor, rdx the end of the room for text (the buffer's last
# byte, kept for the newline), and each returns the new cursor in rdi,
# never past rdx.  They clobber rax, rcx, rsi, r8 and keep rdx.

# append_text(rsi = NUL-terminated text, or 0 for none), copied as it is.
#   (panic.s has its own copy on purpose: it must not depend on another file
#   when it runs, because it runs when something is already wrong.)
        .type append_text, @function
        .p2align 4
append_text:
        testq   %rsi, %rsi
        jz      2f
1:      cmpq    %rdx, %rdi
        jae     2f
        movzbl  (%rsi), %eax
        testb   %al, %al
        jz      2f
        movb    %al, (%rdi)
        incq    %rdi
        incq    %rsi
        jmp     1b
2:      ret
        .size append_text, . - append_text

# append_escaped(rsi = NUL-terminated text, or 0 for none): printable ASCII
#   other than the backslash as it is, every other byte as \xHH, so that a
#   name can neither end the line nor forge an escape.  An escape that does
#   not fit whole is left out.
        .type append_escaped, @function
        .p2align 4
append_escaped:
        testq   %rsi, %rsi
        jz      .Lescaped_done
.Lescaped_byte:
        movzbl  (%rsi), %eax
        testb   %al, %al
        jz      .Lescaped_done
        cmpb    $'\\', %al
        je      .Lescaped_hex
        cmpb    $0x20, %al
        jb      .Lescaped_hex
        cmpb    $0x7e, %al
        ja      .Lescaped_hex
        cmpq    %rdx, %rdi
        jae     .Lescaped_done
        movb    %al, (%rdi)
        incq    %rdi
        incq    %rsi
        jmp     .Lescaped_byte
.Lescaped_hex:
        leaq    4(%rdi), %rcx
        cmpq    %rdx, %rcx
        ja      .Lescaped_done
        movw    $0x785c, (%rdi)         # "\x"
        leaq    hex_digits(%rip), %r8
        movl    %eax, %ecx
        shrl    $4, %ecx
        movzbl  (%r8,%rcx), %ecx
        movb    %cl, 2(%rdi)
        andl    $15, %eax
        movzbl  (%r8,%rax), %eax
        movb    %al, 3(%rdi)
        addq    $4, %rdi
        incq    %rsi
        jmp     .Lescaped_byte
.Lescaped_done:
        ret
        .size append_escaped, . - append_escaped

# append_decimal(rsi = a signed value) in decimal, "-" first when negative;
#   left out whole when it does not fit.  Uses 24 bytes of the red zone.
        .type append_decimal, @function
        .p2align 4
append_decimal:
        pushq   %rdx                    # keep the limit; rdx is the divide's
        leaq    -8(%rsp), %r8           # digits are made last first, below the save
        movq    %rsi, %rax
        testq   %rax, %rax
        jns     1f
        negq    %rax                    # -2^63 stays itself and reads as unsigned
1:      movl    $10, %ecx
2:      xorl    %edx, %edx
        divq    %rcx
        addb    $'0', %dl
        decq    %r8
        movb    %dl, (%r8)
        testq   %rax, %rax
        jnz     2b
        testq   %rsi, %rsi
        jns     3f
        decq    %r8
        movb    $'-', (%r8)
3:      popq    %rdx
        leaq    -16(%rsp), %rcx         # one past the last digit (rsp moved by 8)
        subq    %r8, %rcx               # the digits' length
        leaq    (%rdi,%rcx), %rax
        cmpq    %rdx, %rax
        ja      5f
4:      movzbl  (%r8), %eax
        movb    %al, (%rdi)
        incq    %rdi
        incq    %r8
        decq    %rcx
        jnz     4b
5:      ret
        .size append_decimal, . - append_decimal

# log_open(rdi = a buffer of DAEMON_LOG_LINE_MAX bytes) -> rdi = cursor after
#   the line's prefix, rdx = the text's limit (the append_* convention).
        .type log_open, @function
        .p2align 4
log_open:
        leaq    DAEMON_LOG_LINE_MAX - 1(%rdi), %rdx
        leaq    log_prefix(%rip), %rsi
        jmp     append_text
        .size log_open, . - log_open

# log_close(rdi = cursor, rdx = limit): ends the line with a newline and
#   writes it to daemon_log_fd in one write; a negative fd means no log, and
#   a failed or short write is ignored (the cleaner goes on regardless).
#   Clobbers: the caller-saved registers.
        .type log_close, @function
        .p2align 4
log_close:
        movb    $'\n', (%rdi)           # rdi <= rdx: the buffer's last byte at most
        leaq    -(DAEMON_LOG_LINE_MAX - 1)(%rdx), %rsi  # the buffer
        leaq    1(%rdi), %rdx
        subq    %rsi, %rdx              # the line's length
        movq    daemon_log_fd(%rip), %rdi
        testq   %rdi, %rdi
        js      1f
        subq    $8, %rsp                # align for the call
        call    __mf_os_write
        addq    $8, %rsp
1:      ret
        .size log_close, . - log_close

# log_text(rdi = buffer, rsi = text, rdx = name or path, rcx = text, r8 = text)
#   Logs "<rsi><rdx escaped><rcx><r8>"; each of rdx, rcx, r8 may be 0.
#   Clobbers: the caller-saved registers.
        .type log_text, @function
        .p2align 4
log_text:
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        subq    $8, %rsp
        movq    %rsi, %rbx
        movq    %rdx, %r12
        movq    %rcx, %r13
        movq    %r8, %r14
        call    log_open
        movq    %rbx, %rsi
        call    append_text
        movq    %r12, %rsi
        call    append_escaped
        movq    %r13, %rsi
        call    append_text
        movq    %r14, %rsi
        call    append_text
        call    log_close
        addq    $8, %rsp
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        ret
        .size log_text, . - log_text

# log_about(rdi = buffer, rsi = text, rdx = name or path): logs
#   "<rsi><rdx escaped>".  Clobbers: the caller-saved registers.
        .type log_about, @function
        .p2align 4
log_about:
        xorl    %ecx, %ecx
        xorl    %r8d, %r8d
        jmp     log_text
        .size log_about, . - log_about

# log_signal(rdi = buffer, rsi = pid, rdx = name, rcx = reason or 0)
#   Logs "signalled <pid> for <name>", or with a reason
#   "not signalled <pid> for <name>: <reason>".
#   Clobbers: the caller-saved registers.
        .type log_signal, @function
        .p2align 4
log_signal:
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        movq    %rsi, %rbx
        movq    %rdx, %r12
        movq    %rcx, %r13
        call    log_open
        leaq    msg_signalled(%rip), %rsi
        testq   %r13, %r13
        jz      1f
        leaq    msg_not_signalled(%rip), %rsi
1:      call    append_text
        movq    %rbx, %rsi
        call    append_decimal
        leaq    msg_for(%rip), %rsi
        call    append_text
        movq    %r12, %rsi
        call    append_escaped
        testq   %r13, %r13
        jz      2f
        leaq    msg_colon(%rip), %rsi
        call    append_text
        movq    %r13, %rsi
        call    append_text
2:      call    log_close
        popq    %r13
        popq    %r12
        popq    %rbx
        ret
        .size log_signal, . - log_signal

# ---------------------------------------------------------------------------
# The monitor directory
# ---------------------------------------------------------------------------

.equ OPEN_DIR_STAT,     0
.equ OPEN_DIR_LOG,      OPEN_DIR_STAT + LINUX_STAT_SIZE
.equ OPEN_DIR_FRAME,    OPEN_DIR_LOG + DAEMON_LOG_LINE_MAX   # 16-aligned: with rbx's push, calls are aligned

# open_monitor_dir() -> rax = a descriptor of daemon_monitor_dir, or -1.
#   Opens the directory without following a final symlink and refuses it
#   (closed again, one line logged) when its owner is not the running user
#   or its group or others may write into it: whoever controls the directory
#   controls what the cleaner unlinks and signals.
#   Clobbers: the caller-saved registers.
        .type open_monitor_dir, @function
        .p2align 4
open_monitor_dir:
        pushq   %rbx
        subq    $OPEN_DIR_FRAME, %rsp
        movl    $LINUX_AT_FDCWD_INT, %edi
        movq    daemon_monitor_dir(%rip), %rsi
        movl    $OPEN_DIR_FLAGS, %edx
        xorl    %ecx, %ecx
        call    __mf_os_openat
        leaq    why_cannot_open_dir(%rip), %rcx
        testq   %rax, %rax
        js      .Lrefuse_dir
        movq    %rax, %rbx
        movl    %ebx, %edi
        leaq    OPEN_DIR_STAT(%rsp), %rsi
        call    __mf_os_fstat
        leaq    why_cannot_open_dir(%rip), %rcx
        testq   %rax, %rax
        js      .Lrefuse_open_dir
        movl    OPEN_DIR_STAT + LINUX_STAT_MODE(%rsp), %eax
        andl    $LINUX_S_IFMT, %eax
        cmpl    $LINUX_S_IFDIR, %eax
        jne     .Lrefuse_open_dir
        call    __mf_os_getuid
        leaq    why_foreign_dir(%rip), %rcx
        cmpl    OPEN_DIR_STAT + LINUX_STAT_UID(%rsp), %eax
        jne     .Lrefuse_open_dir
        leaq    why_writable_dir(%rip), %rcx
        testl   $LINUX_S_IWGRP_IWOTH, OPEN_DIR_STAT + LINUX_STAT_MODE(%rsp)
        jnz     .Lrefuse_open_dir
        movq    %rbx, %rax
        jmp     .Lopen_dir_done
.Lrefuse_open_dir:
        movq    %rcx, OPEN_DIR_STAT(%rsp)      # the reason survives the close
        movl    %ebx, %edi
        call    __mf_os_close
        movq    OPEN_DIR_STAT(%rsp), %rcx
.Lrefuse_dir:
        movq    %rcx, %r8
        leaq    OPEN_DIR_LOG(%rsp), %rdi
        leaq    msg_refused(%rip), %rsi
        movq    daemon_monitor_dir(%rip), %rdx
        leaq    msg_colon(%rip), %rcx
        call    log_text
        movq    $-1, %rax
.Lopen_dir_done:
        addq    $OPEN_DIR_FRAME, %rsp
        popq    %rbx
        ret
        .size open_monitor_dir, . - open_monitor_dir

# ---------------------------------------------------------------------------
# The cleaning pass
# ---------------------------------------------------------------------------

.equ PASS_DIRENTS,      0
.equ PASS_LOG,          PASS_DIRENTS + DAEMON_DIRENT_BUF
.equ PASS_STAT,         PASS_LOG + DAEMON_LOG_LINE_MAX
.equ PASS_CONTENT,      PASS_STAT + LINUX_STAT_SIZE
.equ PASS_PROC_PATH,    PASS_CONTENT + DAEMON_CONTENT_MAX
.equ PASS_PROC_PATH_MAX, 32             # "/proc/" and 19 digits and a NUL fit
.equ PASS_PID,          PASS_PROC_PATH + PASS_PROC_PATH_MAX
.equ PASS_FILE_FD,      PASS_PID + 8
.equ PASS_CONTENT_LEN,  PASS_FILE_FD + 8
.equ PASS_FRAME,        PASS_CONTENT_LEN + 8  # 8 mod 16: with six pushes, calls are aligned

# int64_t daemon_clean_snapshots(void)
#   Unlinks every expired snapshot_<name>; returns how many, or -1 when the
#   directory is refused.  Needs about 7.5 KiB of stack.
        .globl daemon_clean_snapshots
        .type daemon_clean_snapshots, @function
        .p2align 4
daemon_clean_snapshots:
        movl    $KIND_SNAPSHOT, %edi
        jmp     clean_pass
        .size daemon_clean_snapshots, . - daemon_clean_snapshots

# int64_t daemon_clean_sandboxes(void)
#   Sends SIGUSR2 to the pid of every expired sandbox_<pid> when it is safe
#   (docs/spec.md lists when), then unlinks the file; returns how many files
#   were unlinked, or -1 when the directory is refused.  Needs about 7.5 KiB
#   of stack.
        .globl daemon_clean_sandboxes
        .type daemon_clean_sandboxes, @function
        .p2align 4
daemon_clean_sandboxes:
        movl    $KIND_SANDBOX, %edi
        jmp     clean_pass
        .size daemon_clean_sandboxes, . - daemon_clean_sandboxes

# clean_pass(edi = KIND_SNAPSHOT or KIND_SANDBOX) -> rax = unlinked count, or -1.
#   Registers through the pass: r12 the kind, r13 the directory's
#   descriptor, r14 the count, r15 the clock's "now", rbx the current
#   getdents64 record, rbp the end of the batch's bytes.
        .type clean_pass, @function
        .p2align 4
clean_pass:
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $PASS_FRAME, %rsp
        movl    %edi, %r12d
        call    open_monitor_dir
        testq   %rax, %rax
        js      .Lpass_return           # refused and logged: rax = -1
        movq    %rax, %r13
        xorl    %r14d, %r14d
        call    __mf_os_time            # once per pass: every entry is judged at one instant
        movq    %rax, %r15

.Lpass_batch:
        movl    %r13d, %edi
        leaq    PASS_DIRENTS(%rsp), %rsi
        movl    $DAEMON_DIRENT_BUF, %edx
        call    __mf_os_getdents64
        testq   %rax, %rax
        jz      .Lpass_end              # every batch read
        js      .Lpass_unreadable
        cmpq    $DAEMON_DIRENT_BUF, %rax
        ja      .Lpass_unreadable       # more than was asked for: not a kernel's answer
        leaq    PASS_DIRENTS(%rsp), %rbx
        leaq    (%rbx,%rax), %rbp

.Lpass_record:
        cmpq    %rbp, %rbx
        je      .Lpass_batch            # this batch done: ask for the next
        movq    %rbp, %rax
        subq    %rbx, %rax              # bytes left in the batch
        cmpq    $LINUX_DIRENT_MIN_RECLEN, %rax
        jb      .Lpass_unreadable
        movzwl  LINUX_DIRENT_RECLEN(%rbx), %ecx
        cmpq    $LINUX_DIRENT_MIN_RECLEN, %rcx
        jb      .Lpass_unreadable
        cmpq    %rax, %rcx
        ja      .Lpass_unreadable
        # The name must end (NUL) inside its record; rcx = its room.
        leaq    LINUX_DIRENT_NAME(%rbx), %rdi
        subq    $LINUX_DIRENT_NAME, %rcx
        xorl    %eax, %eax
        movq    %rdi, %rdx
        repne scasb
        jne     .Lpass_next             # no NUL: not a name, skipped unseen
        subq    %rdx, %rdi
        leaq    -1(%rdi), %rsi          # rsi = the name's length

        # Which kind of name?  Others are not ours and stay unmentioned.
        leaq    LINUX_DIRENT_NAME(%rbx), %rdi
        cmpl    $KIND_SANDBOX, %r12d
        je      .Lpass_sandbox_name
        cmpq    $PREFIX_SNAPSHOT_LEN, %rsi
        jbe     .Lpass_next             # "snapshot_" needs at least one byte more
        leaq    prefix_snapshot(%rip), %rdx
        movl    $PREFIX_SNAPSHOT_LEN, %ecx
        call    has_prefix
        testl   %eax, %eax
        jz      .Lpass_next
        jmp     .Lpass_type

.Lpass_sandbox_name:
        leaq    prefix_sandbox(%rip), %rdx
        movl    $PREFIX_SANDBOX_LEN, %ecx
        call    has_prefix              # keeps rsi, the name's length
        testl   %eax, %eax
        jz      .Lpass_next
        leaq    LINUX_DIRENT_NAME + PREFIX_SANDBOX_LEN(%rbx), %rdi
        subq    $PREFIX_SANDBOX_LEN, %rsi
        call    parse_canonical
        leaq    why_invalid_pid(%rip), %r8
        cmpq    $2, %rax                # also refuses -1, "not canonical"
        jl      .Lpass_skip
        cmpq    $PID_INT_MAX, %rax
        ja      .Lpass_skip
        cmpq    daemon_pid_max(%rip), %rax
        jg      .Lpass_skip
        movq    %rax, PASS_PID(%rsp)

.Lpass_type:
        # Only a regular file is read: a known type must be DT_REG, and an
        # unknown one is settled by fstat after an open that neither follows
        # a symlink nor waits on a FIFO.
        leaq    why_not_regular(%rip), %r8
        movzbl  LINUX_DIRENT_TYPE(%rbx), %eax
        cmpl    $LINUX_DT_REG, %eax
        je      1f
        cmpl    $LINUX_DT_UNKNOWN, %eax
        jne     .Lpass_skip
1:      movl    %r13d, %edi
        leaq    LINUX_DIRENT_NAME(%rbx), %rsi
        movl    $OPEN_ENTRY_FLAGS, %edx
        xorl    %ecx, %ecx
        call    __mf_os_openat
        leaq    why_not_regular(%rip), %r8
        testq   %rax, %rax
        js      .Lpass_skip
        movq    %rax, PASS_FILE_FD(%rsp)
        movl    %eax, %edi
        leaq    PASS_STAT(%rsp), %rsi
        call    __mf_os_fstat
        testq   %rax, %rax
        js      .Lpass_not_regular
        movl    PASS_STAT + LINUX_STAT_MODE(%rsp), %eax
        andl    $LINUX_S_IFMT, %eax
        cmpl    $LINUX_S_IFREG, %eax
        jne     .Lpass_not_regular

        # The content: read until end of file or DAEMON_CONTENT_MAX bytes, so
        # that short reads change nothing.
        movq    $0, PASS_CONTENT_LEN(%rsp)
.Lpass_read:
        movq    PASS_FILE_FD(%rsp), %rdi
        movq    PASS_CONTENT_LEN(%rsp), %rax
        leaq    PASS_CONTENT(%rsp,%rax), %rsi
        movl    $DAEMON_CONTENT_MAX, %edx
        subq    %rax, %rdx
        call    __mf_os_read
        testq   %rax, %rax
        jz      .Lpass_read_done
        js      .Lpass_read_failed
        addq    %rax, PASS_CONTENT_LEN(%rsp)
        cmpq    $DAEMON_CONTENT_MAX, PASS_CONTENT_LEN(%rsp)
        jb      .Lpass_read
.Lpass_read_done:
        movq    PASS_FILE_FD(%rsp), %rdi
        call    __mf_os_close
        movq    PASS_CONTENT_LEN(%rsp), %rsi
        leaq    why_no_timestamp(%rip), %r8
        testq   %rsi, %rsi
        jz      .Lpass_skip
        cmpq    $DAEMON_TIMESTAMP_MAX_LEN, %rsi
        ja      .Lpass_skip
        cmpb    $'\n', PASS_CONTENT - 1(%rsp,%rsi)
        jne     1f
        decq    %rsi                    # one newline may end the timestamp
1:      leaq    PASS_CONTENT(%rsp), %rdi
        call    parse_canonical
        leaq    why_no_timestamp(%rip), %r8
        testq   %rax, %rax
        js      .Lpass_skip

        # Expiry: a time after now is kept and logged; otherwise expired when
        # its age is strictly greater than the kind's TTL (signed).
        leaq    why_future(%rip), %r8
        cmpq    %r15, %rax
        jg      .Lpass_skip
        movq    %r15, %rcx
        subq    %rax, %rcx              # the age: both in 0..2^63-1, no overflow
        movq    daemon_snapshot_ttl(%rip), %rax
        cmpl    $KIND_SANDBOX, %r12d
        cmoveq  daemon_sandbox_ttl(%rip), %rax
        cmpq    %rax, %rcx
        jle     .Lpass_next
        cmpl    $KIND_SANDBOX, %r12d
        jne     .Lpass_unlink

        # A sandbox: signal its pid only when that cannot hurt anyone else.
        call    __mf_os_getpid
        leaq    why_itself(%rip), %rcx
        cmpq    PASS_PID(%rsp), %rax
        je      .Lpass_not_signalled
        # "/proc/<pid>": the digits are the name's own (canonical, so the
        # same process); its owner is the process's effective user.
        leaq    PASS_PROC_PATH(%rsp), %rdi
        leaq    proc_dir(%rip), %rsi
        movl    $PROC_DIR_LEN, %ecx
        rep movsb
        leaq    LINUX_DIRENT_NAME + PREFIX_SANDBOX_LEN(%rbx), %rsi
1:      movsb                           # the digits and their NUL: at most 11 bytes
        cmpb    $0, -1(%rdi)
        jne     1b
        movl    $LINUX_AT_FDCWD_INT, %edi
        leaq    PASS_PROC_PATH(%rsp), %rsi
        leaq    PASS_STAT(%rsp), %rdx
        xorl    %ecx, %ecx
        call    __mf_os_fstatat
        leaq    why_no_process(%rip), %rcx
        testq   %rax, %rax
        js      .Lpass_not_signalled
        call    __mf_os_getuid
        leaq    why_foreign_process(%rip), %rcx
        cmpl    PASS_STAT + LINUX_STAT_UID(%rsp), %eax
        jne     .Lpass_not_signalled
        movq    PASS_PID(%rsp), %rdi
        movl    $LINUX_SIGUSR2, %esi
        call    __mf_os_kill
        leaq    why_kill_failed(%rip), %rcx
        testq   %rax, %rax
        js      .Lpass_not_signalled
        xorl    %ecx, %ecx              # signalled: no reason
.Lpass_not_signalled:
        leaq    PASS_LOG(%rsp), %rdi
        movq    PASS_PID(%rsp), %rsi
        leaq    LINUX_DIRENT_NAME(%rbx), %rdx
        call    log_signal

.Lpass_unlink:
        movl    %r13d, %edi
        leaq    LINUX_DIRENT_NAME(%rbx), %rsi
        xorl    %edx, %edx
        call    __mf_os_unlinkat
        leaq    msg_cannot_unlink(%rip), %rsi
        testq   %rax, %rax
        jnz     1f
        incq    %r14
        leaq    msg_unlinked(%rip), %rsi
1:      leaq    PASS_LOG(%rsp), %rdi
        leaq    LINUX_DIRENT_NAME(%rbx), %rdx
        call    log_about
        jmp     .Lpass_next

.Lpass_read_failed:
        leaq    why_no_timestamp(%rip), %rax
        jmp     1f
.Lpass_not_regular:
        leaq    why_not_regular(%rip), %rax
1:      movq    %rax, PASS_CONTENT_LEN(%rsp)   # the reason survives the close
        movq    PASS_FILE_FD(%rsp), %rdi
        call    __mf_os_close
        movq    PASS_CONTENT_LEN(%rsp), %r8

# Logs "skipped <name>: <r8>" and goes on with the next record.
.Lpass_skip:
        leaq    PASS_LOG(%rsp), %rdi
        leaq    msg_skipped(%rip), %rsi
        leaq    LINUX_DIRENT_NAME(%rbx), %rdx
        leaq    msg_colon(%rip), %rcx
        call    log_text

.Lpass_next:
        movzwl  LINUX_DIRENT_RECLEN(%rbx), %eax
        addq    %rax, %rbx
        jmp     .Lpass_record

.Lpass_unreadable:
        leaq    PASS_LOG(%rsp), %rdi
        leaq    msg_cannot_read(%rip), %rsi
        movq    daemon_monitor_dir(%rip), %rdx
        call    log_about
.Lpass_end:
        movl    %r13d, %edi
        call    __mf_os_close
        movq    %r14, %rax
.Lpass_return:
        addq    $PASS_FRAME, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        ret
        .size clean_pass, . - clean_pass

# ---------------------------------------------------------------------------
# Memory
# ---------------------------------------------------------------------------

# parse_meminfo_value(rdi = text after a key's colon, rsi = end of its line)
#   -> rax = the value, ecx = 1; or ecx = 0 when, after any spaces and tabs,
#   there is no digit or the digits do not fit in 64 bits.  What follows the
#   digits (" kB") is not looked at.
#   Leaf.  Clobbers: rax, rcx, rdx, rdi, r8.
        .type parse_meminfo_value, @function
        .p2align 4
parse_meminfo_value:
1:      cmpq    %rsi, %rdi
        jae     .Lvalue_bad
        movzbl  (%rdi), %ecx
        cmpl    $' ', %ecx
        je      2f
        cmpl    $'\t', %ecx
        jne     3f
2:      incq    %rdi
        jmp     1b
3:      subl    $'0', %ecx
        cmpl    $9, %ecx
        ja      .Lvalue_bad             # not even one digit
        xorl    %eax, %eax
        movl    $10, %r8d
.Lvalue_digit:
        mulq    %r8
        jc      .Lvalue_bad             # the product needs more than 64 bits
        addq    %rcx, %rax
        jc      .Lvalue_bad
        incq    %rdi
        cmpq    %rsi, %rdi
        jae     .Lvalue_done
        movzbl  (%rdi), %ecx
        subl    $'0', %ecx
        cmpl    $9, %ecx
        jbe     .Lvalue_digit
.Lvalue_done:
        movl    $1, %ecx
        ret
.Lvalue_bad:
        xorl    %ecx, %ecx
        ret
        .size parse_meminfo_value, . - parse_meminfo_value

.equ MEM_TEXT,          0
.equ MEM_TEXT_ROOM,     DAEMON_MEMINFO_MAX + 16   # one byte more than the limit, to see past it
.equ MEM_LOG,           MEM_TEXT + MEM_TEXT_ROOM
.equ MEM_LINE_END,      MEM_LOG + DAEMON_LOG_LINE_MAX
.equ MEM_WHOLE_FILE,    MEM_LINE_END + 8
.equ MEM_FRAME,         MEM_WHOLE_FILE + 16     # 8 mod 16 (8 bytes unused): with six pushes, calls are aligned
.equ FOUND_TOTAL,       1
.equ FOUND_AVAILABLE,   2
.equ FOUND_FREE,        4

# MATCH_MEMINFO_KEY key, length, bit, register: when the line at rbx (ending
# at MEM_LINE_END) starts with the key and the key has no value yet, parses
# the value into the register and sets the bit in r12 if it parses; either
# way a line that starts with the key goes on to .Lmem_next_line.
.macro MATCH_MEMINFO_KEY key, length, bit, register
        testl   $\bit, %r12d
        jnz     .Lmem_skip_\bit
        movq    %rbx, %rdi
        movq    MEM_LINE_END(%rsp), %rsi
        subq    %rbx, %rsi
        leaq    \key(%rip), %rdx
        movl    $\length, %ecx
        call    has_prefix
        testl   %eax, %eax
        jz      .Lmem_skip_\bit
        leaq    \length(%rbx), %rdi
        movq    MEM_LINE_END(%rsp), %rsi
        call    parse_meminfo_value
        testl   %ecx, %ecx
        jz      .Lmem_next_line
        movq    %rax, \register
        orl     $\bit, %r12d
        jmp     .Lmem_next_line
.Lmem_skip_\bit:
.endm

# int64_t daemon_monitor_memory(void)
#   The percentage of memory in use, read from daemon_meminfo_path
#   (docs/spec.md gives every rule), or -1; logs a result above
#   daemon_mem_threshold, and a -1.  Needs about 10 KiB of stack.
#   Registers: rbx the line, rbp the end of the text, r12 the keys found,
#   r13 MemTotal, r14 MemAvailable, r15 MemFree.
        .globl daemon_monitor_memory
        .type daemon_monitor_memory, @function
        .p2align 4
daemon_monitor_memory:
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $MEM_FRAME, %rsp
        movl    $LINUX_AT_FDCWD_INT, %edi
        movq    daemon_meminfo_path(%rip), %rsi
        movl    $OPEN_MEMINFO_FLAGS, %edx
        xorl    %ecx, %ecx
        call    __mf_os_openat
        testq   %rax, %rax
        js      .Lmem_unparsed
        movq    %rax, %r12              # r12 = the descriptor while reading
        xorl    %ebx, %ebx              # rbx = bytes in hand
.Lmem_read:
        movl    %r12d, %edi
        leaq    MEM_TEXT(%rsp,%rbx), %rsi
        movl    $DAEMON_MEMINFO_MAX + 1, %edx
        subq    %rbx, %rdx
        call    __mf_os_read
        testq   %rax, %rax
        jz      .Lmem_read_done
        js      .Lmem_read_failed
        addq    %rax, %rbx
        cmpq    $DAEMON_MEMINFO_MAX + 1, %rbx
        jb      .Lmem_read
.Lmem_read_done:
        movl    %r12d, %edi
        call    __mf_os_close
        # More than the limit in hand: only the limit is text, and its last
        # line may be cut, so it counts only if a newline ends it.
        movq    $1, MEM_WHOLE_FILE(%rsp)
        cmpq    $DAEMON_MEMINFO_MAX, %rbx
        jbe     1f
        movl    $DAEMON_MEMINFO_MAX, %ebx
        movq    $0, MEM_WHOLE_FILE(%rsp)
1:      leaq    MEM_TEXT(%rsp), %rax
        leaq    (%rax,%rbx), %rbp
        movq    %rax, %rbx
        xorl    %r12d, %r12d

.Lmem_line:
        cmpq    %rbp, %rbx
        jae     .Lmem_parsed
        movq    %rbx, %rdi
        movq    %rbp, %rcx
        subq    %rbx, %rcx
        movl    $'\n', %eax
        repne scasb
        jne     1f
        decq    %rdi                    # the line ends at its newline
        jmp     2f
1:      cmpq    $0, MEM_WHOLE_FILE(%rsp)
        je      .Lmem_parsed            # a line cut by the limit is not read
2:      movq    %rdi, MEM_LINE_END(%rsp)
        MATCH_MEMINFO_KEY key_mem_total, KEY_MEM_TOTAL_LEN, FOUND_TOTAL, %r13
        MATCH_MEMINFO_KEY key_mem_available, KEY_MEM_AVAILABLE_LEN, FOUND_AVAILABLE, %r14
        MATCH_MEMINFO_KEY key_mem_free, KEY_MEM_FREE_LEN, FOUND_FREE, %r15
.Lmem_next_line:
        movq    MEM_LINE_END(%rsp), %rbx
        incq    %rbx                    # past the newline (or past the end)
        jmp     .Lmem_line

.Lmem_parsed:
        testl   $FOUND_TOTAL, %r12d
        jz      .Lmem_unparsed
        testq   %r13, %r13
        jz      .Lmem_unparsed          # no memory at all: no percentage
        movq    %r14, %rax
        testl   $FOUND_AVAILABLE, %r12d
        jnz     1f
        movq    %r15, %rax
        testl   $FOUND_FREE, %r12d
        jz      .Lmem_unparsed
1:      cmpq    %r13, %rax
        ja      .Lmem_unparsed          # more available than there is
        movq    %r13, %rcx
        subq    %rax, %rcx              # bytes in use
        movq    %rcx, %rax
        movl    $100, %ecx
        mulq    %rcx                    # 128 bits: no overflow
        divq    %r13                    # the quotient is at most 100: no #DE
        movq    %rax, %rbx
        cmpq    daemon_mem_threshold(%rip), %rbx
        jle     .Lmem_return
        leaq    MEM_LOG(%rsp), %rdi
        call    log_open
        leaq    msg_memory_used(%rip), %rsi
        call    append_text
        movq    %rbx, %rsi
        call    append_decimal
        leaq    msg_above_threshold(%rip), %rsi
        call    append_text
        movq    daemon_mem_threshold(%rip), %rsi
        call    append_decimal
        leaq    msg_percent(%rip), %rsi
        call    append_text
        call    log_close
        jmp     .Lmem_return

.Lmem_read_failed:
        movl    %r12d, %edi
        call    __mf_os_close
.Lmem_unparsed:
        leaq    MEM_LOG(%rsp), %rdi
        leaq    msg_cannot_parse(%rip), %rsi
        movq    daemon_meminfo_path(%rip), %rdx
        call    log_about
        movq    $-1, %rbx
.Lmem_return:
        movq    %rbx, %rax
        addq    $MEM_FRAME, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        ret
        .size daemon_monitor_memory, . - daemon_monitor_memory

# ---------------------------------------------------------------------------
# The daemon
# ---------------------------------------------------------------------------

.equ LINUX_SIGPIPE,           13
.equ LINUX_SIG_IGN,           1
.equ KSIGACTION_HANDLER, 0              # struct k_sigaction, as the kernel reads it
.equ KSIGACTION_FLAGS,  8
.equ KSIGACTION_RESTORER, 16
.equ KSIGACTION_MASK,   24
.equ SIGSET_BYTES,      8
.equ START_LOG,         0
.equ START_FRAME,       DAEMON_LOG_LINE_MAX + 8   # 8 mod 16: with two pushes, calls are aligned

# int64_t daemon_start(void)
#   Checks the directory, locks it (flock, exclusive, non-blocking: the lock
#   is how a second start knows a daemon runs, and the kernel drops it when
#   the daemon ends however it ends), forks, and returns the child's pid, or
#   -1.  The child never returns: it runs daemon_loop.
        .globl daemon_start
        .type daemon_start, @function
        .p2align 4
daemon_start:
        pushq   %rbx
        pushq   %r12
        subq    $START_FRAME, %rsp
        call    open_monitor_dir
        testq   %rax, %rax
        js      .Lstart_return          # refused and logged: rax = -1
        movq    %rax, %rbx
        movl    %ebx, %edi
        movl    $LINUX_LOCK_EX_NB, %esi
        call    __mf_os_flock
        testq   %rax, %rax
        js      .Lstart_locked
        call    __mf_os_fork
        testq   %rax, %rax
        jz      .Lstart_child
        movq    %rax, %r12
        movl    %ebx, %edi
        call    __mf_os_close           # the lock stays with the child's copy
        movq    %r12, %rax
        testq   %rax, %rax
        jns     .Lstart_return
        movq    $-1, %rax               # no child: closing dropped the lock
        jmp     .Lstart_return
.Lstart_locked:
        leaq    START_LOG(%rsp), %rdi
        leaq    msg_already_held(%rip), %rsi
        movq    daemon_monitor_dir(%rip), %rdx
        call    log_about
        movl    %ebx, %edi
        call    __mf_os_close
        movq    $-1, %rax
.Lstart_return:
        addq    $START_FRAME, %rsp
        popq    %r12
        popq    %rbx
        ret
.Lstart_child:
        call    daemon_loop             # never returns
        hlt
        .size daemon_start, . - daemon_start

# on_sigterm: the daemon's SIGTERM handler.  It only sets the flag; the loop
#   reads it before each pass and after each sleep, which the signal ends.
        .type on_sigterm, @function
        .p2align 4
on_sigterm:
        movq    $1, stop_requested(%rip)
        ret
        .size on_sigterm, . - on_sigterm

# daemon_loop(): the forked child.  Becomes a session leader (no terminal's
#   signals reach it), stops on SIGTERM, ignores SIGPIPE (a log pipe with no
#   reader must not end it), and cleans every daemon_interval seconds.
#   Exits with status 0 after a SIGTERM.  Never returns.
        .type daemon_loop, @function
        .p2align 4
daemon_loop:
        subq    $40, %rsp               # a k_sigaction and a sigset; aligned for calls
        call    __mf_os_setsid
        movq    $0, stop_requested(%rip)
        leaq    on_sigterm(%rip), %rax
        movq    %rax, KSIGACTION_HANDLER(%rsp)
        movq    $LINUX_SA_RESTORER, KSIGACTION_FLAGS(%rsp)   # no SA_RESTART: the sleep ends
        leaq    __mf_os_sigreturn(%rip), %rax
        movq    %rax, KSIGACTION_RESTORER(%rsp)
        movq    $0, KSIGACTION_MASK(%rsp)
        movl    $LINUX_SIGTERM, %edi
        movq    %rsp, %rsi
        xorl    %edx, %edx
        movl    $SIGSET_BYTES, %ecx
        call    __mf_os_rt_sigaction
        movq    $LINUX_SIG_IGN, KSIGACTION_HANDLER(%rsp)
        movl    $LINUX_SIGPIPE, %edi
        movq    %rsp, %rsi
        xorl    %edx, %edx
        movl    $SIGSET_BYTES, %ecx
        call    __mf_os_rt_sigaction
        # The caller may have blocked SIGTERM; the child inherits its mask.
        movq    $1 << (LINUX_SIGTERM - 1), 32(%rsp)
        movl    $LINUX_SIG_UNBLOCK, %edi
        leaq    32(%rsp), %rsi
        xorl    %edx, %edx
        movl    $SIGSET_BYTES, %ecx
        call    __mf_os_rt_sigprocmask
.Lloop_pass:
        cmpq    $0, stop_requested(%rip)
        jne     .Lloop_stop
        call    daemon_clean_snapshots
        call    daemon_clean_sandboxes
        call    daemon_monitor_memory
        cmpq    $0, stop_requested(%rip)
        jne     .Lloop_stop
        movq    daemon_interval(%rip), %rax
        cmpq    $1, %rax
        jge     1f
        movl    $1, %eax                # below a second would spin
1:      movq    %rax, 0(%rsp)           # struct timespec: seconds,
        movq    $0, 8(%rsp)             # nanoseconds
        movq    %rsp, %rdi
        xorl    %esi, %esi
        call    __mf_os_nanosleep
        jmp     .Lloop_pass
.Lloop_stop:
        xorl    %edi, %edi
        call    __mf_os_exit
        hlt
        .size daemon_loop, . - daemon_loop

        .section .note.GNU-stack, "", @progbits
