# daemon_expires_at_the_ttl - a file whose age equals the TTL is expired
# (age >= TTL instead of age > TTL).
# mutates: daemon_cleaner.s
# changes: 1
# signature: no-model
# checks: test=SnapshotPass.AnAgeEqualToTheTtlIsKept test=ModelAgreement_RapidCheck.CleanerPassesAgreeWithTheModel
/cmpq[[:space:]]*%rax, %rcx/{n;s/^\([[:space:]]*\)jle[[:space:]]*\.Lpass_next$/\1jl      .Lpass_next             # MUTANT: age == TTL expires/;}
