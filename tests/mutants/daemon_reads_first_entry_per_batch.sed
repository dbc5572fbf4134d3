# daemon_reads_first_entry_per_batch - after the first entry of a getdents64
# batch the pass asks for the next batch, so every other entry of the batch
# is never seen (upstream Morph's cleaner: 13 of 200 expired files were
# still there after 51 passes).
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_sandboxes field=the_sut_s_log_differs_from_the_model_s
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_reads_first_entry_per_batch.trace test=SnapshotPass.ReadsEveryBatchOfAHugeDirectory
/^\.Lpass_next:/,/jmp/ s/^\([[:space:]]*\)jmp[[:space:]]*\.Lpass_record$/\1jmp     .Lpass_batch            # MUTANT: one entry per batch/
