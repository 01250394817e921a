#!/usr/bin/env bash
# check.sh — grades lesson 15's exercise step by step: `make check`.
. ./grade.sh
T="$(mktemp -d "${TMPDIR:-/tmp}/gwas-check.XXXXXX")"
trap 'rm -rf "$T"' EXIT

step 1 "each rank scans its own share of the variants (VecCreate, VecSetSizes, VecSetFromOptions, VecGetOwnershipRange)"
launch 1 gwas -samples 500 -variants 3001 -out "$T/np1.assoc"
expect_value scanned 3001 "on 1 rank, the one rank owns every variant"
launch 3 gwas -samples 500 -variants 3001 -out "$T/np3.assoc"
expect_size 3
expect_value scanned 3001 "the shares of the 3 ranks must add up to all 3001 variants, each scanned once"
expect_value recount_mismatches 0
expect_value tested 3001
if ! failed && ! cmp -s "$T/np1.assoc" "$T/np3.assoc"; then
  fail "the table written by -out on 3 ranks differs from the one on 1 rank: does every rank scan the entries [j0, j1) it owns?"
fi

step 2 "describe a Hit to MPI (MPI_Type_create_struct, MPI_Type_create_resized, MPI_Type_commit)"
launch 1 gwas -samples 200 -variants 100
expect_value hit_type_size 120 "the data of one Hit: 5 doubles (40 bytes), 2 int64 (16) and the chars 8 + 40 + 8 + 8 (64); check the lengths of the 6 blocks"
expect_value hit_type_extent 120 "the extent must be sizeof(Hit), the stride between two Hits of an array: MPI_Type_create_resized"

step 3 "rank 0 gathers every rank's top K (MPI_Gather)"
launch 1 gwas -samples 1000 -variants 3001 -effect 2
one_rank="$(value top_snps)"
launch 4 gwas -samples 1000 -variants 3001 -effect 2
expect_size 4
expect_value scanned 3001 "do step 1 first"
expect_value hit_type_size 120 "do step 2 first"
expect_value top_agrees yes "rank 0's list must hold the 10 largest chi-squares of all ranks; if it holds only its own, the gather is missing (do steps 1 and 2 first)"
expect_value vecmax_agrees yes "the first of the list must be the variant VecMax found"
expect_value planted_in_top 5 "all 5 planted variants are strong enough to be in the top 10"
expect_value top_snps "$one_rank" "the same list as on 1 rank"
expect_value check PASS
expect_exit 0

finish
