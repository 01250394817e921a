#!/usr/bin/env bash
# check.sh — grades lesson 05's exercise step by step: `make check`.
. ./grade.sh

# rank_lines NP PREFIX EXPECTED HINT: rank r (r < NP) printed the line
# PREFIX EXPECTED, with %r in PREFIX standing for r; says which ranks did not.
rank_lines() {
  failed && return 1
  local np="$1" prefix="$2" want="$3" hint="$4" r p line wrong=()
  for ((r = 0; r < np; ++r)); do
    p="${prefix//%r/$r}"
    line="$(printf '%s\n' "$OUT" | grep -m1 -F "$p")"
    if [ -z "$line" ]; then wrong+=("rank $r printed no line '$p...'")
    elif [ "$line" != "$p$want" ]; then wrong+=("rank $r printed: $line")
    fi
  done
  [ ${#wrong[@]} -eq 0 ] && return 0
  fail "expected from every rank: ${prefix//%r/R}$want" "${wrong[@]}" "$hint"
}

# gathered NP: the root's line `gathered results:` holds (10 (i + 1))^2 for every rank i.
gathered() {
  failed && return 1
  local np="$1" i got want wrong=()
  read -r -a got <<< "$(printf '%s\n' "$OUT" | sed -n 's/^gathered results://p')"
  for ((i = 0; i < np; ++i)); do
    want=$(( (10 * (i + 1)) * (10 * (i + 1)) ))
    [ "${got[$i]:-}" = "$want" ] ||
      wrong+=("rank $i's result: ${got[$i]:-missing}, expected $want = $((10 * (i + 1)))² (did it receive the item $((10 * (i + 1)))?)")
  done
  [ ${#wrong[@]} -eq 0 ] || fail "the root should hold every rank's squared item, in rank order:" "${wrong[@]}"
}

step 1 "collectives: the root's message and parameters reach every rank (MPI_Bcast)"
launch 4 collectives --root 1
expect_size 4
rank_lines 4 'Process %r received: ' '"Hello from the root process (rank 1)" and p = 1000.25 1001.25 1002.25 1003.25' \
  "The root (here rank 1, from --root 1) fills the buffers; every rank, the root too, calls MPI_Bcast with the same root."
expect_value bcast_check PASS

# Steps 2 and 3 are graded on the same run as step 1 (4 ranks, root 1).
step 2 "collectives: one item to each rank and the squares back to the root (MPI_Scatter, MPI_Gather)"
expect_size 4
expect_value scatter_check PASS "rank i should receive the item 10 (i + 1) from the root's array work"
gathered 4
expect_value gather_check PASS

step 3 "collectives: the sum and the max of the ranks (MPI_Reduce, MPI_Allreduce)"
expect_size 4
expect_value reduce_sum 6 "0 + 1 + 2 + 3, on the root, with MPI_SUM"
expect_value reduce_max 3 "the largest rank, on the root, with MPI_MAX"
expect_value allreduce_sum 6 "the same sum, now on every rank: MPI_Allreduce"
expect_value allreduce_max 3
expect_value allreduce_check PASS "every rank, not only the root, must hold the sum and the max"

step 4 "collectives: nobody leaves before everybody has arrived (MPI_Barrier); the whole program passes"
launch 3 collectives --root 2
expect_size 3
expect_value barrier_check PASS "rank 2 arrives 100 ms after rank 0, so rank 0 must wait at least 50 ms in the barrier"
expect_value check PASS "every *_check line must say PASS: steps 1 to 4"
expect_exit 0

step 5 "scatter_sum: split N values over the ranks and deal them out (MPI_Scatterv)"
launch 3 scatter_sum --n 1000001
expect_size 3
expect_value counts '333334 333334 333333' "1000001 = 3 x 333333 + 2: the first 2 ranks get one value more"
for line in 'rank 0: count = 333334, displ = 0, first x = 0,' \
            'rank 1: count = 333334, displ = 333334, first x = 333334,' \
            'rank 2: count = 333333, displ = 666668, first x = 666668,'; do
  failed && break
  printf '%s\n' "$OUT" | grep -qF "$line" ||
    fail "expected a line starting '$line' (displs[i]: where rank i's values start; x_i = i, so its first value is displs[i]). Got:" \
         "$(printf '%s\n' "$OUT" | grep '^rank ')"
done
expect_value global_sum 500000500000 "0 + 1 + ... + 1000000 = N(N-1)/2"
expect_value check PASS
expect_exit 0
launch 4 scatter_sum --n 2
expect_value counts '1 1 0 0' "2 values on 4 ranks: two ranks get none"
expect_value check PASS "N = 2 on 4 ranks"

step 6 "bcast_timing: a broadcast by hand, the root sends to each rank in turn (MPI_Send, MPI_Recv)"
launch 3 bcast_timing --max-bytes 65536 --reps 3
expect_size 3
expect_value bad_buffers_p2p 0 "wrong buffers after the hand-written broadcast: every rank but the root must receive the root's bytes"

# Step 7 is graded on the same run as step 6.
step 7 "bcast_timing: the same broadcast with MPI_Bcast; the whole program passes"
expect_size 3
expect_value bad_buffers_bcast 0 "wrong buffers after MPI_Bcast: every rank calls it, with the root 0"
expect_value check PASS
expect_exit 0

finish
