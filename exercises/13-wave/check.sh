#!/usr/bin/env bash
# check.sh — grades lesson 13's exercise step by step: `make check`.
. ./grade.sh

# A small box where the wave reaches the sponge: 12 km x 8 km, 61 x 41 nodes,
# 200 steps of 0.02 s.  SUM is the receivers' seismogram_sum of that run
# (numpy's reference.py computes the same).
SMALL=(-lx 12000 -ly 8000 -nx 61 -ny 41 -dt 0.02 -steps 200 -output_interval 0)
SUM=0.27926184367605311

step 1 "wave.cpp: the halo exchange (DMGlobalToLocalBegin, DMGlobalToLocalEnd)"
# Your halo with the course's own update (-kernel rows4), on 3 blocks.
launch 3 wave "${SMALL[@]}" -kernel rows4
expect_no_line '^error: ' "the program stopped with an error"
expect_size 3
expect_value halo DMGlobalToLocal
expect_value check PASS "the energy must change by exactly what the sponge takes out; without u^n and its halo in Ul it does not"
expect_close seismogram_sum "$SUM" 1e-10 "the receivers' traces of the right wave"
expect_exit 0

step 2 "wave.cpp: the leapfrog update (FormFunctionLocal)"
# Your update with the course's own halo (-halo sf), on 1 and 3 blocks ...
launch 1 wave "${SMALL[@]}" -halo sf
expect_no_line '^error: ' "the program stopped with an error"
expect_value kernel plain
expect_value check PASS "(1 + h) u^{n+1} = 2 u^n - (1 - h) u^{n-1} + lap: the energy must change by exactly what the sponge takes out"
expect_close seismogram_sum "$SUM" 1e-10 "the receivers' traces of the right wave"
launch 3 wave "${SMALL[@]}" -halo sf
expect_value check PASS
expect_close seismogram_sum "$SUM" 1e-10
# ... and the lesson's program as it runs by default: your halo and your update.
launch 2 wave "${SMALL[@]}"
expect_value check PASS "this run uses your halo (step 1) and your update together"
expect_close seismogram_sum "$SUM" 1e-10
expect_exit 0

finish
