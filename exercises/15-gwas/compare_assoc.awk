# compare_assoc.awk — compare a PLINK .assoc file with gwas -out, variant by variant.
# usage: awk -f compare_assoc.awk PLINK.assoc OURS.assoc
# Compare per variant: SNP, A1, A2 exactly; F_A F_U CHISQ P OR to PLINK's 4 significant digits.
function close_enough(p, o,   d, s) {
  if (p == "NA" || o == "NA") return p == o
  if (p == "inf" || o == "inf") return p == o
  d = p - o; if (d < 0) d = -d
  s = p < 0 ? -p : p
  return d <= 5.01e-4 * s + 1e-300 || d <= 1e-12
}
FNR == 1 { next }
NR == FNR { snp[FNR] = $2; a1[FNR] = $4; a2[FNR] = $7; v[FNR,5] = $5; v[FNR,6] = $6; v[FNR,8] = $8; v[FNR,9] = $9; v[FNR,10] = $10; n = FNR; next }
{
  m = FNR
  if ($2 != snp[m] || $4 != a1[m] || $7 != a2[m]) { bad++; if (bad < 5) print "allele/name differs at line " m ": " $0 > "/dev/stderr"; next }
  # One group has no called allele: PLINK prints CHISQ 0 and P 1, we print NA.
  if ((v[m,5] == "NA" || v[m,6] == "NA") && v[m,8] == 0 && v[m,9] == 1 && $8 == "NA" && $9 == "NA") { v[m,8] = "NA"; v[m,9] = "NA"; empty++ }
  for (c = 5; c <= 10; c++) if (c != 7 && !close_enough(v[m,c], $c)) { bad++; if (bad < 5) print "column " c " differs at line " m ": plink " v[m,c] " ours " $c > "/dev/stderr" }
  seen++
}
END { printf "compared = %d\nmismatches = %d\nempty_group = %d\n", seen, bad + 0, empty + 0; if (FNR != n) exit 1 }
