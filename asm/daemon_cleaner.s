# daemon_cleaner.s - the background cleaner of the Morph runtime's monitor
# directory (docs/spec.md, "The daemon cleaner").
#
# Not implemented yet: every entry point exists so that programs and the
# harness link, and each returns -1 without doing anything.  The real
# implementation is a later issue.

        .include "layout.inc"

        .text

# NOT_IMPLEMENTED name: a function that returns -1 and touches nothing.
.macro NOT_IMPLEMENTED name
        .globl \name
        .type \name, @function
        .p2align 4
\name:
        movq    $-1, %rax
        ret
        .size \name, . - \name
.endm

# int64_t daemon_clean_snapshots(void)
#   Will unlink expired snapshot files and return their count.
#   Now: returns -1.  Clobbers: rax.  Never exits.
        NOT_IMPLEMENTED daemon_clean_snapshots

# int64_t daemon_clean_sandboxes(void)
#   Will signal and unlink expired sandbox files and return their count.
#   Now: returns -1.  Clobbers: rax.  Never exits.
        NOT_IMPLEMENTED daemon_clean_sandboxes

# int64_t daemon_monitor_memory(void)
#   Will return the used memory percentage read from /proc/meminfo.
#   Now: returns -1.  Clobbers: rax.  Never exits.
        NOT_IMPLEMENTED daemon_monitor_memory

# int64_t daemon_start(void)
#   Will fork the cleaner loop and return its pid.
#   Now: returns -1.  Clobbers: rax.  Never exits.
        NOT_IMPLEMENTED daemon_start

        .section .note.GNU-stack, "", @progbits
