// bed_io.hpp — PLINK 1 binary filesets in and out, and the scan's table.
//
// A fileset PREFIX is three files:
//   PREFIX.fam  one line per sample; column 6 is the phenotype
//               (1 control, 2 case, 0 or -9 missing)
//   PREFIX.bim  one line per variant: chromosome, name, cM, position, A1, A2
//   PREFIX.bed  magic bytes 6c 1b 01, then variant by variant (SNP-major)
//               ceil(N/4) bytes of 2-bit calls, the first sample lowest
// Rank 0 reads the .fam and checks the .bed's header and size; each rank
// parses only its own block of the .bim.  Writing uses MPI-IO: every rank
// writes its own part of one file at its own offset (WriteTextParts).  Every
// file is written as NAME.part and renamed NAME when it is whole, so a run
// that is stopped half-way never leaves a half-written NAME behind.
//
// An error that only some ranks see (rank 0 read a bad .fam, one rank's
// block is short) stops every rank with one line: StopOnError.
#pragma once

#include <petscsys.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "petsc_errors.hpp"

// One variant's name and place (a line of the .bim file).
struct VariantInfo {
  std::string chr, snp, a1, a2;
  long        bp = 0;
};

// Every rank learns the message of the lowest rank that has one (empty: no
// error), and all stop with it: one line `error: ...` from rank 0 and exit
// status 1 (PETSC_ERR_USER_INPUT, reported by UserInputErrorHandler).  Collective.
static PetscErrorCode StopOnError(std::string error)
{
  PetscMPIInt rank = 0, size = 0, first = 0, len = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  const PetscMPIInt mine = error.empty() ? size : rank;
  PetscCallMPI(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, PETSC_COMM_WORLD));
  if (first == size) PetscFunctionReturn(PETSC_SUCCESS);  // nobody has an error
  len = (PetscMPIInt)error.size();
  PetscCallMPI(MPI_Bcast(&len, 1, MPI_INT, first, PETSC_COMM_WORLD));
  error.resize((std::size_t)len);
  PetscCallMPI(MPI_Bcast(&error[0], len, MPI_CHAR, first, PETSC_COMM_WORLD));
  SETERRQ(PETSC_COMM_WORLD, PETSC_ERR_USER_INPUT, "%s", error.c_str());
}

// ---------------------------------------------------------------------------
// Reading.

static bool ReadText(const std::string& path, std::string* text)
{
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char   buf[1 << 16];
  size_t got;
  text->clear();
  while ((got = std::fread(buf, 1, sizeof(buf), f)) > 0) text->append(buf, got);
  std::fclose(f);
  return true;
}

static std::vector<std::string> Fields(const std::string& line)
{
  std::vector<std::string> f;
  std::size_t              i = 0;
  while (true) {
    i = line.find_first_not_of(" \t\r", i);
    if (i == std::string::npos) break;
    const std::size_t e = line.find_first_of(" \t\r", i);
    f.push_back(line.substr(i, e == std::string::npos ? std::string::npos : e - i));
    if (e == std::string::npos) break;
    i = e;
  }
  return f;
}

static std::vector<std::string> Lines(const std::string& text)
{
  std::vector<std::string> lines;
  std::size_t              i = 0;
  while (i < text.size()) {
    std::size_t e = text.find('\n', i);
    if (e == std::string::npos) e = text.size();
    lines.push_back(text.substr(i, e - i));
    i = e + 1;
  }
  return lines;
}

// The phenotype of every sample: 1 case, 0 control, -1 missing.
static std::string ReadFam(const std::string& path, std::vector<signed char>* pheno)
{
  std::string text;
  if (!ReadText(path, &text)) return "cannot open " + path;
  const std::vector<std::string> lines = Lines(text);
  pheno->clear();
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const std::vector<std::string> f = Fields(lines[l]);
    if (f.empty()) continue;
    if (f.size() != 6) return path + " line " + std::to_string(l + 1) + ": expected 6 columns, found " + std::to_string(f.size());
    const std::string& y = f[5];
    if (y == "2") pheno->push_back(1);
    else if (y == "1") pheno->push_back(0);
    else if (y == "0" || y == "-9") pheno->push_back(-1);
    else return path + " line " + std::to_string(l + 1) + ": phenotype '" + y + "' is not 1 (control), 2 (case), 0 or -9 (missing)";
  }
  if (pheno->empty()) return path + " has no samples";
  return "";
}

// Count the .bim's variants, and parse those in [j0, j1) (only those: the
// file can have millions of lines).
static std::string ReadBim(const std::string& path, std::int64_t j0, std::int64_t j1, std::int64_t* count,
                           std::vector<VariantInfo>* info)
{
  std::string text;
  if (!ReadText(path, &text)) return "cannot open " + path;
  std::int64_t j = 0, l = 0;
  info->clear();
  info->reserve((std::size_t)(j1 - j0));
  for (std::size_t i = 0; i < text.size();) {
    std::size_t e = text.find('\n', i);
    if (e == std::string::npos) e = text.size();
    ++l;
    const std::size_t first = text.find_first_not_of(" \t\r", i);
    if (first != std::string::npos && first < e) {  // not a blank line
      if (j >= j0 && j < j1) {  // split in place: this runs once per variant
        std::string_view f[7];
        int               nf = 0;
        auto blank = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; };
        for (std::size_t k = first; k < e && nf < 7;) {
          std::size_t stop = k;
          while (stop < e && !blank(text[stop])) ++stop;
          f[nf++] = std::string_view(text).substr(k, stop - k);
          for (k = stop; k < e && blank(text[k]);) ++k;
        }
        if (nf != 6) return path + " line " + std::to_string(l) + ": expected 6 columns, found " + (nf > 6 ? "more" : std::to_string(nf));
        long       bp  = 0;
        const auto got = std::from_chars(f[3].data(), f[3].data() + f[3].size(), bp);
        if (got.ec != std::errc() || got.ptr != f[3].data() + f[3].size())
          return path + " line " + std::to_string(l) + ": position '" + std::string(f[3]) + "' is not an integer";
        info->push_back({std::string(f[0]), std::string(f[1]), std::string(f[4]), std::string(f[5]), bp});
      }
      ++j;
    }
    i = e + 1;
  }
  *count = j;
  return "";
}

// Header and size of the .bed: magic 0x6c 0x1b, then 0x01 for SNP-major.
static std::string CheckBed(const std::string& path, std::int64_t variants, std::int64_t samples)
{
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return "cannot open " + path;
  unsigned char magic[3] = {0, 0, 0};
  const size_t  got      = std::fread(magic, 1, 3, f);
  std::fseek(f, 0, SEEK_END);
  const long long size = std::ftell(f);
  std::fclose(f);
  if (got < 3 || magic[0] != 0x6c || magic[1] != 0x1b)
    return path + " is not a PLINK 1 .bed file (its first bytes are not 6c 1b)";
  if (magic[2] == 0x00)
    return path + " is in individual-major mode, which this program does not read; convert it with plink1.9 --bfile PREFIX --make-bed";
  if (magic[2] != 0x01) return path + " has an unknown mode byte (not 01 = SNP-major)";
  const long long expect = 3 + variants * ((samples + 3) / 4);
  const std::string dims = std::to_string(variants) + " variants (.bim) x " + std::to_string(samples) + " samples (.fam) need " +
                           std::to_string(expect) + " bytes";
  if (size < expect) return path + " is truncated: " + std::to_string(size) + " bytes, but " + dims;
  if (size > expect) return path + " has " + std::to_string(size) + " bytes, but " + dims + ": it does not match the .bim/.fam";
  return "";
}

// ---------------------------------------------------------------------------
// Writing.

// A file written as `part` is whole: rank 0 gives it its name.  Collective.
static PetscErrorCode RenameWhole(const std::string& part, const std::string& path)
{
  PetscMPIInt rank = 0;
  std::string error;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0 && std::rename(part.c_str(), path.c_str()) != 0) error = "cannot rename " + part + " to " + path;
  PetscCall(StopOnError(error));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// With MPI-IO.  MPI counts are int, so large parts go in pieces.
static std::string WriteAt(MPI_File fh, MPI_Offset offset, const char* data, std::size_t len)
{
  const std::size_t piece = 1 << 30;
  for (std::size_t done = 0; done < len; done += piece) {
    const int  n = (int)std::min(piece, len - done);
    MPI_Status st;
    if (MPI_File_write_at(fh, offset + (MPI_Offset)done, data + done, n, MPI_BYTE, &st) != MPI_SUCCESS)
      return "write failed";
  }
  return "";
}

// A text file made of a header (rank 0's) and each rank's lines, in rank
// order: the offset of a rank's part is the sum of the lengths before it,
// an exclusive prefix sum (MPI_Exscan).  Collective.
static PetscErrorCode WriteTextParts(const std::string& path, const std::string& header, const std::string& mine)
{
  PetscMPIInt       rank = 0;
  MPI_File          fh;
  long long         len = (long long)mine.size(), before = 0, total = 0;
  const std::string part = path + ".part";

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Exscan(&len, &before, 1, MPI_LONG_LONG, MPI_SUM, PETSC_COMM_WORLD));
  if (rank == 0) before = 0;  // MPI_Exscan leaves rank 0's result undefined
  PetscCallMPI(MPI_Allreduce(&len, &total, 1, MPI_LONG_LONG, MPI_SUM, PETSC_COMM_WORLD));
  const int rc = MPI_File_open(PETSC_COMM_WORLD, part.c_str(), MPI_MODE_CREATE | MPI_MODE_WRONLY, MPI_INFO_NULL, &fh);
  PetscCall(StopOnError(rc != MPI_SUCCESS ? "cannot write " + path : ""));  // the same verdict on every rank
  PetscCallMPI(MPI_File_set_size(fh, (MPI_Offset)(header.size() + total)));  // drop old content
  std::string err;
  if (rank == 0) err = WriteAt(fh, 0, header.data(), header.size());
  if (err.empty()) err = WriteAt(fh, (MPI_Offset)(header.size() + before), mine.data(), mine.size());
  PetscCallMPI(MPI_File_close(&fh));
  PetscCall(StopOnError(err.empty() ? "" : err + " on " + path));
  PetscCall(RenameWhole(part, path));
  PetscFunctionReturn(PETSC_SUCCESS);
}

// ---------------------------------------------------------------------------
// The table of the scan, PLINK's .assoc columns.

// A number as %.6g would print it, or NA; std::to_chars is several times
// faster than snprintf, which matters for a table of a million lines.
static char* PutNumber(char* at, double v)
{
  if (std::isnan(v)) return std::strcpy(at, "NA") + 2;
  if (std::isinf(v)) return std::strcpy(at, "inf") + 3;
  return std::to_chars(at, at + 32, v, std::chars_format::general, 6).ptr;
}

static std::string Number(double v)
{
  char s[40];
  return std::string(s, PutNumber(s, v));
}

// Append `text` right-aligned in `width` columns and a separator.
static void PutField(std::string* line, const char* text, std::size_t len, std::size_t width, char sep = ' ')
{
  if (len < width) line->append(width - len, ' ');
  line->append(text, len);
  line->push_back(sep);
}

static std::string AssocHeader()
{
  char line[512];
  std::snprintf(line, sizeof(line), "%4s %12s %10s %4s %12s %12s %4s %12s %12s %12s\n", "CHR", "SNP", "BP", "A1", "F_A",
                "F_U", "A2", "CHISQ", "P", "OR");
  return line;
}

// One line of the table: a1/a2 are the alleles as reported (A1 = minor).
static void AssocLine(std::string* out, const VariantInfo& i, const std::string& a1, const std::string& a2, double f_a,
                      double f_u, double chisq, double p, double odds)
{
  char num[40];
  PutField(out, i.chr.data(), i.chr.size(), 4);
  PutField(out, i.snp.data(), i.snp.size(), 12);
  PutField(out, num, (std::size_t)(std::to_chars(num, num + 40, i.bp).ptr - num), 10);
  PutField(out, a1.data(), a1.size(), 4);
  PutField(out, num, (std::size_t)(PutNumber(num, f_a) - num), 12);
  PutField(out, num, (std::size_t)(PutNumber(num, f_u) - num), 12);
  PutField(out, a2.data(), a2.size(), 4);
  PutField(out, num, (std::size_t)(PutNumber(num, chisq) - num), 12);
  PutField(out, num, (std::size_t)(PutNumber(num, p) - num), 12);
  PutField(out, num, (std::size_t)(PutNumber(num, odds) - num), 12, '\n');
}

// The .bim (in parts, like the table) and the .fam (rank 0) of a fileset
// whose .bed has been written.  Collective.
static PetscErrorCode WriteBimFam(const std::string& prefix, const std::vector<VariantInfo>& info,
                                  const std::vector<signed char>& pheno)
{
  PetscMPIInt rank = 0;
  std::string mine, error;
  char        line[256];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  for (const VariantInfo& i : info) {
    std::snprintf(line, sizeof(line), "%s\t%s\t0\t%ld\t%s\t%s\n", i.chr.c_str(), i.snp.c_str(), i.bp, i.a1.c_str(), i.a2.c_str());
    mine += line;
  }
  PetscCall(WriteTextParts(prefix + ".bim", "", mine));
  if (rank == 0) {
    const std::string path = prefix + ".fam.part";
    FILE*             f    = std::fopen(path.c_str(), "w");
    if (!f) error = "cannot write " + prefix + ".fam";
    for (std::size_t s = 0; f && s < pheno.size(); ++s)
      std::fprintf(f, "s%zu s%zu 0 0 0 %d\n", s + 1, s + 1, pheno[s] == 1 ? 2 : 1);
    if (f && std::fclose(f) != 0) error = "write failed on " + prefix + ".fam";
  }
  PetscCall(StopOnError(error));
  PetscCall(RenameWhole(prefix + ".fam.part", prefix + ".fam"));
  PetscFunctionReturn(PETSC_SUCCESS);
}
