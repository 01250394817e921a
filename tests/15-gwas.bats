#!/usr/bin/env bats
# Lesson 15-gwas: an allelic chi-square scan of every variant, variants split
# over the ranks, on synthetic data or a PLINK 1 fileset.  The numbers are
# checked against plink1.9 --assoc on every variant, and must not depend on
# the number of ranks.  PETSc is built on Open MPI, so this lesson runs with
# Open MPI only; every PETSc run adds -malloc_dump and must report no leak.

setup_file() {
  load helpers
  lesson_init 15-gwas
  build "$DIR"
  # A small fileset for the file tests: 203 samples (not a multiple of 4, so
  # the last byte of each variant is padded), 400 variants, 2% missing calls.
  run timeout -k 5 60 "$MPIEXEC" -n 2 "$(bin "$DIR" gwas)" -samples 203 -variants 400 -missing 0.02 \
    -write_bfile "$BATS_FILE_TMPDIR/toy" < /dev/null
  [ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
}

setup() {
  load helpers
  lesson_init 15-gwas
  T="$BATS_FILE_TMPDIR"
}

# petsc NP PROGRAM [ARGS...]: run a PETSc program with -malloc_dump.
petsc() {
  local np="$1" prog="$2"; shift 2
  mpirun "$np" "$(bin "$DIR" "$prog")" "$@" -malloc_dump
}

# assert_no_leak: -malloc_dump reported nothing (its lines read "[r] N bytes f() at file:line").
assert_no_leak() {
  if printf '%s\n' "$output" | grep -Eq '^\[ *[0-9]+\] [0-9]+ bytes '; then
    echo "-malloc_dump reports a leak:" >&2; printf '%s\n' "$output" >&2; return 1
  fi
}

# plink_assoc PREFIX: plink1.9's allelic test of a fileset, into PREFIX.assoc.
plink_assoc() {
  run timeout -k 5 60 plink1.9 --bfile "$1" --assoc --allow-no-sex --out "$1" < /dev/null
  [ "$status" -eq 0 ] || { echo "plink1.9 failed:" >&2; printf '%s\n' "$output" >&2; return 1; }
}

# assert_same_as_plink PLINK.assoc OURS.assoc N: every one of the N variants
# agrees (SNP and alleles exactly, F_A F_U CHISQ P OR to PLINK's 4 digits).
assert_same_as_plink() {
  run awk -f "$SOL/compare_assoc.awk" "$1" "$2"
  assert_success
  assert_value compared "$3"
  assert_value mismatches 0
}

@test "15 synthetic scan, NP=1..4: the same table and top list, planted variants on top, no leak" {
  local first=""
  for np in 1 2 3 4; do
    petsc "$np" gwas -samples 1000 -variants 3001 -effect 2 -out "$T/syn$np.assoc"
    assert_ok "$np"
    assert_no_leak
    assert_value check PASS
    assert_value recount_mismatches 0
    assert_value recount_variants 1001
    assert_value vecmax_agrees yes
    assert_value top_agrees yes
    assert_value scanned 3001
    assert_value hit_type_extent 120
    assert_value genotype_calls 3001000
    assert_value tested 3001
    assert_value planted 'rs301 rs901 rs1501 rs2101 rs2701'
    assert_value planted_in_top 5
    [ "$(wc -l < "$T/syn$np.assoc")" -eq 3002 ]
    if [ -z "$first" ]; then
      first="$(value top_snps) $(value max_chisq) $(value max_p) $(value cases)"
    else
      [ "$(value top_snps) $(value max_chisq) $(value max_p) $(value cases)" = "$first" ]
      cmp "$T/syn1.assoc" "$T/syn$np.assoc"
    fi
  done
}

@test "15 the 2x2 table by hand: the top variant's chi-square from its F_A, F_U and the counts" {
  # With no missing calls, a = 2 cases F_A etc.; recompute chi2 and OR in awk.
  petsc 2 gwas -samples 1000 -variants 3001 -report 1
  assert_ok 2
  local cases controls
  cases="$(value cases)"; controls="$(value controls)"
  local row
  row="$(printf '%s\n' "$output" | awk '$1 == 1 && $3 ~ /^rs/ {print $7, $8, $9, $11}')"
  [[ "$row" =~ ^[0-9.]+\ [0-9.]+\ [0-9.]+\ [0-9.]+$ ]] || { echo "no top variant in the output:" >&2; printf '%s\n' "$output" >&2; return 1; }
  run awk -v n1="$cases" -v n0="$controls" -v r="$row" 'BEGIN {
      split(r, f, " "); fa = f[1]; fu = f[2]; chi = f[3]; or = f[4]
      a = 2 * n1 * fa; b = 2 * n1 - a; c = 2 * n0 * fu; d = 2 * n0 - c
      t = a + b + c + d
      x = t * (a * d - b * c) ^ 2 / ((a + b) * (c + d) * (a + c) * (b + d))
      e1 = x - chi; if (e1 < 0) e1 = -e1
      e2 = a * d / (b * c) - or; if (e2 < 0) e2 = -e2
      if (e1 > 1e-2 * chi || e2 > 1e-2 * or) { print "chi2 " x " vs " chi ", OR " a * d / (b * c) " vs " or; exit 1 }
    }'
  assert_success
}

@test "15 plink1.9 --assoc agrees on every variant: missing calls, padded bytes, rare variants" {
  petsc 3 gwas -samples 601 -variants 2000 -missing 0.02 -maf_min 0.01 -write_bfile "$T/cmp" -out "$T/cmp.ours"
  assert_ok 3
  assert_no_leak
  [ "$(stat -c %s "$T/cmp.bed")" -eq $((3 + 2000 * 151)) ]
  # Every file is written as NAME.part and renamed when whole: none is left.
  ! ls "$T"/cmp*.part 2> /dev/null
  plink_assoc "$T/cmp"
  assert_same_as_plink "$T/cmp.assoc" "$T/cmp.ours" 2000
  # The same fileset read back at NP=2 gives the same table byte for byte.
  petsc 2 gwas -bfile "$T/cmp" -out "$T/cmp.read"
  assert_ok 2
  assert_no_leak
  assert_value check PASS
  cmp "$T/cmp.ours" "$T/cmp.read"
}

@test "15 plink1.9 agrees with missing phenotypes (0 and -9) and tiny groups, NP=4" {
  # 10 samples: many variants have a group with no called allele, or ties
  # between the alleles, where PLINK's choice of A1 must be matched.
  petsc 2 gwas -samples 10 -variants 1500 -missing 0.05 -maf_min 0.2 -write_bfile "$T/tiny"
  assert_ok 2
  awk 'NR % 4 == 0 {$6 = -9} NR % 5 == 0 {$6 = 0} {print}' "$T/tiny.fam" > "$T/tiny.fam.new"
  mv "$T/tiny.fam.new" "$T/tiny.fam"
  plink_assoc "$T/tiny"
  petsc 4 gwas -bfile "$T/tiny" -out "$T/tiny.ours"
  assert_ok 4
  assert_no_leak
  assert_value phenotype_missing 4
  assert_value check PASS
  assert_same_as_plink "$T/tiny.assoc" "$T/tiny.ours" 1500
}

@test "15 -bfile at NP=1..4 (uneven blocks) gives the synthetic scan's table" {
  petsc 1 gwas -samples 203 -variants 400 -missing 0.02 -out "$T/toy.syn"
  assert_ok 1
  for np in 1 3 4; do
    petsc "$np" gwas -bfile "$T/toy" -out "$T/toy.$np"
    assert_ok "$np"
    assert_no_leak
    assert_value samples 203
    assert_value variants 400
    assert_value check PASS
    cmp "$T/toy.syn" "$T/toy.$np"
  done
}

@test "15 as many ranks as variants: one variant per rank" {
  petsc 4 gwas -samples 500 -variants 4 -causal 1 -report 4
  assert_ok 4
  assert_value check PASS
  assert_value tested 4
  assert_value planted rs3
  assert_value planted_in_top 1
}

@test "15 bad input: a missing fileset, a missing .bed" {
  petsc 2 gwas -bfile "$T/nothere"
  assert_bad_input "cannot open .*nothere.fam"
  cp "$T/toy.bim" "$T/nobed.bim"; cp "$T/toy.fam" "$T/nobed.fam"
  petsc 2 gwas -bfile "$T/nobed"
  assert_bad_input "cannot open .*nobed.bed"
}

@test "15 bad input: a truncated .bed, a .bed too long for its .bim/.fam" {
  cp "$T/toy.bim" "$T/short.bim"; cp "$T/toy.fam" "$T/short.fam"
  head -c 10000 "$T/toy.bed" > "$T/short.bed"
  petsc 2 gwas -bfile "$T/short"
  assert_bad_input 'short.bed is truncated: 10000 bytes, but 400 variants \(.bim\) x 203 samples \(.fam\) need 20403 bytes'
  cp "$T/toy.bim" "$T/long.bim"; cp "$T/toy.fam" "$T/long.fam"
  # Three samples fewer in the .fam: 200 samples need 50 bytes per variant,
  # not 51, so the .bed is too long for them.
  head -n 200 "$T/toy.fam" > "$T/long.fam"
  cp "$T/toy.bed" "$T/long.bed"
  petsc 2 gwas -bfile "$T/long"
  assert_bad_input 'long.bed has 20403 bytes, but 400 variants .* need 20003 bytes: it does not match'
}

@test "15 bad input: an individual-major .bed, a file that is not a .bed" {
  cp "$T/toy.bim" "$T/ind.bim"; cp "$T/toy.fam" "$T/ind.fam"; cp "$T/toy.bed" "$T/ind.bed"
  printf '\x6c\x1b\x00' | dd of="$T/ind.bed" conv=notrunc status=none
  petsc 2 gwas -bfile "$T/ind"
  assert_bad_input 'individual-major mode'
  cp "$T/toy.bim" "$T/txt.bim"; cp "$T/toy.fam" "$T/txt.fam"; cp "$T/toy.bim" "$T/txt.bed"
  petsc 2 gwas -bfile "$T/txt"
  assert_bad_input 'not a PLINK 1 .bed file'
}

@test "15 bad input: a quantitative phenotype, no cases" {
  cp "$T/toy.bim" "$T/q.bim"; cp "$T/toy.bed" "$T/q.bed"
  awk 'NR == 7 {$6 = 3.5} {print}' "$T/toy.fam" > "$T/q.fam"
  petsc 2 gwas -bfile "$T/q"
  assert_bad_input "q.fam line 7: phenotype '3.5' is not 1 \(control\), 2 \(case\)"
  awk '{$6 = 1; print}' "$T/toy.fam" > "$T/q.fam"
  petsc 2 gwas -bfile "$T/q"
  assert_bad_input 'the phenotype has no cases'
}

@test "15 bad input: -samples 0, -variants abc, -maf_min 0.7, -out without a file" {
  # The options' bounds are PETSc's (PetscOptionsRangeInt), in PETSc's words.
  petsc 2 gwas -samples 0
  assert_bad_input 'value 0 less than allowed bound 2'
  petsc 2 gwas -variants abc
  assert_bad_input 'Input string abc has no integer value'
  petsc 2 gwas -maf_min 0.7
  assert_bad_input 'maf_min 0.7 is out of range \(0, 0.5\]'
  petsc 2 gwas -effect x1
  assert_bad_input 'Input string x1 has no numeric value'
  mpirun 2 "$(bin "$DIR" gwas)" -out
  assert_bad_input '-out needs a value'
}

@test "15 bad input: more ranks than variants, an unwritable output" {
  petsc 4 gwas -variants 3 -causal 1
  assert_bad_input 'more ranks \(4\) than variants \(3\)'
  petsc 2 gwas -variants 100 -out /nonexistent/dir/x.assoc
  assert_bad_input 'cannot write /nonexistent/dir/x.assoc'
}

@test "15 -help lists the options; a misspelt option is warned about" {
  mpirun 1 "$(bin "$DIR" gwas)" -help
  assert_success
  assert_output --partial 'Genome-wide association scan'
  assert_output --regexp '-samples:? <now 2000 : formerly 2000>'
  assert_output --partial '-bfile'
  petsc 2 gwas -variants 200 -seeed 3
  assert_success
  assert_line 'WARNING! option -seeed 3 was never used (misspelt?)'
}

@test "15 make MPI=mpich is refused with one line" {
  run make --no-print-directory -C "$DIR" MPI=mpich all
  assert_failure
  [ "${#lines[@]}" -eq 1 ]
  assert_output --partial 'uses PETSc, which Debian builds on Open MPI: MPI=mpich is not possible'
}

@test "15 exercise: make check fails unsolved, naming step 1; gwas never says PASS and exits non-zero" {
  skip_in_check
  build "$EX"
  exercise_fails_unsolved
  exercise_never_passes gwas -samples 300 -variants 500
  assert_failure 1
  assert_value check FAIL
  exercise_never_passes gwas
}

@test "15 exercise: with the solution's step blocks, make check passes every step" {
  skip_in_check
  exercise_passes_solved
}

@test "15 exercise: differs from the solution only inside the step blocks" {
  skip_in_check
  exercise_matches_solution
}

@test "15 the learner's file is at most 200 lines, main() at most 80" {
  [ "$(wc -l < "$EX/gwas.cpp")" -le 200 ]
  [ "$(awk '/^int main\(/,/^}/' "$SOL/gwas.cpp" | wc -l)" -le 80 ]
}
