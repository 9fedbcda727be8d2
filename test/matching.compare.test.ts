import { describe, expect, it } from "vitest";
import {
  adjacentSwap,
  compareDob,
  compareNames,
  DOB_SLIPS,
  dobVariants,
  givenCompatible,
  oneSlip,
  soundsAlike,
} from "../src/matching/compare";
import { isNicknameOf } from "../src/matching/nicknames";
import { nameVariants } from "../src/matching/variants";

const names = (givenNames: string, familyName: string, aliases: { givenNames?: string; familyName?: string }[] = []) =>
  nameVariants({ givenNames, familyName, aliases });

describe("the matcher's comparisons", () => {
  it("counts one slip: a letter changed, added, dropped, or two neighbours swapped", () => {
    expect(oneSlip("amelia", "amelai")).toBe(true);
    expect(oneSlip("amelia", "emelia")).toBe(true);
    expect(oneSlip("hartley", "hartly")).toBe(true);
    expect(oneSlip("smith", "smyth")).toBe(true);
    expect(oneSlip("amelia", "amelia")).toBe(false);
    expect(oneSlip("thompson", "tomson")).toBe(false);
    expect(oneSlip("amelia", "ameila")).toBe(true);
    expect(oneSlip("al", "el")).toBe(false);
    expect(adjacentSwap("ab", "ba")).toBe(true);
    expect(adjacentSwap("abc", "cba")).toBe(false);
  });

  it("knows short forms from the list and the UK supplement, both ways, and not unrelated names", () => {
    expect(isNicknameOf("william", "bill")).toBe(true);
    expect(isNicknameOf("bill", "william")).toBe(true);
    expect(isNicknameOf("amelia", "millie")).toBe(true);
    expect(isNicknameOf("oliver", "ollie")).toBe(true);
    expect(isNicknameOf("libby", "lizzie")).toBe(true);
    expect(isNicknameOf("amelia", "olivia")).toBe(false);
  });

  it("hears Smith and Smyth alike, but not Hartley and Smith", () => {
    expect(soundsAlike("smith", "smyth")).toBe(true);
    expect(soundsAlike("phillips", "fillips")).toBe(true);
    expect(soundsAlike("hartley", "smith")).toBe(false);
  });

  it("lets a middle name be missing or extra, but not different", () => {
    expect(givenCompatible(["amy"], ["amy", "louise"])).toBe(true);
    expect(givenCompatible(["amy", "louise"], ["amy"])).toBe(true);
    expect(givenCompatible(["amy", "jane"], ["amy", "louise"])).toBe(false);
    expect(givenCompatible(["louise", "amy"], ["amy", "louise"])).toBe(false);
  });

  it("grades names", () => {
    expect(compareNames(names("Zoë", "O'Brien-Smith"), names("zoe", "OBrien Smith"))).toBe("exact");
    expect(compareNames(names("Jayden", "Walker"), names("Jayden", "Smith", [{ familyName: "Walker" }]))).toBe("alias");
    expect(compareNames(names("Bill", "Jones"), names("William", "Jones"))).toBe("nickname");
    expect(compareNames(names("Xander", "Jones"), names("Alexander", "Jones")), "a less common short form").toBe("nickname");
    expect(compareNames(names("Alexander", "Jones"), names("Xander", "Jones")), "both directions").toBe("nickname");
    expect(compareNames(names("Kristoff", "Jones"), names("Kris", "Jones")), "a short form no list has: the start of the name").toBe(
      "nickname",
    );
    expect(compareNames(names("Anabella", "Jones"), names("Bella", "Jones")), "the end of the name").toBe("nickname");
    expect(compareNames(names("Al", "Jones"), names("Alina", "Jones")), "two letters are not a short form").not.toBe("nickname");
    expect(compareNames(names("Jayden", "Smith"), names("Jayden", "Smith-Walker"))).toBe("partial");
    expect(compareNames(names("Eva", "Roberts"), names("Amelia", "Hartley"))).toBe("none");
  });

  it("grades dates of birth", () => {
    expect(compareDob("2016-04-09", "2016-04-09")).toBe("exact");
    expect(compareDob("2016-09-04", "2016-04-09")).toBe("swapped");
    expect(compareDob("2015-04-09", "2016-04-09")).toBe("year_digit");
    expect(compareDob("2009-04-09", "2010-04-09"), "the year one out across a decade").toBe("year_one_out");
    expect(compareDob("2019-12-31", "2020-12-31")).toBe("year_one_out");
    expect(compareDob("2001-04-09", "2010-04-09"), "two digits of the year transposed").toBe("transposed");
    expect(compareDob("2016-04-21", "2016-04-12"), "the day's digits transposed").toBe("transposed");
    expect(compareDob("2016-10-09", "2016-01-09"), "the month's digits transposed").toBe("transposed");
    expect(compareDob("2016-04-10", "2016-04-09")).toBe("day_one_out");
    expect(compareDob("2016-05-09", "2016-04-09")).toBe("month_one_out");
    expect(compareDob("2015-01-31", "2015-02-01"), "the day one out across a month's end").toBe("day_one_out");
    expect(compareDob("2015-12-31", "2016-01-01"), "and a year's").toBe("day_one_out");
    expect(dobVariants("2015-02-01", "2026-11-23")).toContain("2015-01-31");
    expect(compareDob("2016-04-15", "2016-04-09")).toBe("different");
    expect(compareDob("2013-04-09", "2009-04-09"), "a year four out, two digits changed, is no slip").toBe("different");
    expect(compareDob("2016-07-09", "2016-04-09")).toBe("different");
    expect(compareDob(null, "2016-04-09")).toBe("missing");
    const v = dobVariants("2016-04-09", "2026-11-23");
    expect(v).toEqual(
      expect.arrayContaining([
        "2016-04-09",
        "2016-09-04",
        "2015-04-09",
        "2006-04-09",
        "2017-04-09",
        "2016-04-10",
        "2016-04-08",
        "2016-05-09",
        "2016-03-09",
      ]),
    );
    expect(v).not.toContain("2036-04-09");
    expect(dobVariants("2010-01-31", "2026-11-23"), "across a decade, transposed, and only real dates").toEqual(
      expect.arrayContaining(["2009-01-31", "2001-01-31", "2010-10-31", "2010-01-30"]),
    );
    expect(dobVariants("2010-01-31", "2026-11-23")).not.toContain("2010-02-31");
    expect(dobVariants("2010-01-31", "2026-11-23")).not.toContain("2010-01-32");
    // Every variant is one compareDob calls a slip of the date: the search and the grading agree.
    for (const dob of ["2016-04-09", "2010-01-31", "2009-12-12", "2020-02-29", "2001-10-01"])
      for (const d of dobVariants(dob, "2026-11-23"))
        if (d !== dob) expect(DOB_SLIPS.has(compareDob(d, dob)), `${d} for ${dob}`).toBe(true);
  });
});
