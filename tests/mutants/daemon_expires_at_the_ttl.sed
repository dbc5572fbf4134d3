# daemon_expires_at_the_ttl - a file whose age equals the TTL is expired
# (age >= TTL instead of age > TTL).
# mutates: daemon_cleaner.s
# changes: 1
# signature: MF-DIVERGENCE target=daemon op=clean_sandboxes field=the_sut_s_log_differs_from_the_model_s
# checks: property=DaemonProperty.Simulated@clean_snapshots|clean_sandboxes fuzz replay=corpus/regressions/daemon_expires_at_the_ttl.trace test=SnapshotPass.AnAgeEqualToTheTtlIsKept test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpq[[:space:]]*%rax, %rcx/{n;s/^\([[:space:]]*\)jle[[:space:]]*\.Lpass_next$/\1jl      .Lpass_next             # MUTANT: age == TTL expires/;}
