use chrono::{TimeZone, Utc};

use super::*;

fn draft() -> Draft {
    Draft {
        name: "Replace timing belt".into(),
        skill_family: "engine".into(),
        minimum_level: 3,
        standard_hours_hundredths: 250,
    }
}

fn fields(change: impl FnOnce(&mut Draft)) -> Result<Fields, Vec<Violation>> {
    let mut d = draft();
    change(&mut d);
    Fields::parse(d)
}

fn broken(change: impl FnOnce(&mut Draft)) -> Vec<OperationField> {
    fields(change).expect_err("should break a rule").into_iter().map(|v| v.field).collect()
}

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, minute, 0).unwrap()
}

fn operation() -> Operation {
    Operation::create(OperationCode::parse("ENG-0420").unwrap(), Fields::parse(draft()).unwrap(), at(0))
}

#[test]
fn codes_are_upper_case_letters_digits_and_single_dashes_of_2_to_20_characters() {
    assert!(OperationCode::parse("ENG-0420").is_ok());
    assert!(OperationCode::parse("B1").is_ok());
    assert!(OperationCode::parse(&"A".repeat(20)).is_ok());
    assert_eq!(OperationCode::parse("E"), Err(OperationCodeError::Length));
    assert_eq!(OperationCode::parse(&"A".repeat(21)), Err(OperationCodeError::Length));
    assert_eq!(OperationCode::parse("eng-1"), Err(OperationCodeError::Character));
    assert_eq!(OperationCode::parse("ENG 1"), Err(OperationCodeError::Character));
    assert_eq!(OperationCode::parse("-ENG"), Err(OperationCodeError::Separator));
    assert_eq!(OperationCode::parse("ENG-"), Err(OperationCodeError::Separator));
    assert_eq!(OperationCode::parse("EN--G"), Err(OperationCodeError::Separator));
}

#[test]
fn skill_families_are_lower_case_identifiers_of_2_to_40_characters() {
    for ok in ["engine", "electrical", "body", "hv_battery", "ev2"] {
        assert!(SkillFamily::parse(ok).is_ok(), "{ok}");
    }
    assert_eq!(SkillFamily::parse("e"), Err(SkillFamilyError::Length));
    assert_eq!(SkillFamily::parse(&"e".repeat(41)), Err(SkillFamilyError::Length));
    assert_eq!(SkillFamily::parse("Engine"), Err(SkillFamilyError::Character));
    assert_eq!(SkillFamily::parse("2engine"), Err(SkillFamilyError::Character));
    assert_eq!(SkillFamily::parse("hv-battery"), Err(SkillFamilyError::Character));
    assert_eq!(SkillFamily::parse("hv__battery"), Err(SkillFamilyError::Separator));
    assert_eq!(SkillFamily::parse("engine_"), Err(SkillFamilyError::Separator));
}

#[test]
fn the_name_has_1_to_200_characters_on_one_line() {
    assert_eq!(broken(|d| d.name.clear()), vec![OperationField::Name]);
    assert_eq!(broken(|d| d.name = "x".repeat(201)), vec![OperationField::Name]);
    assert_eq!(broken(|d| d.name = "timing\nbelt".into()), vec![OperationField::Name]);
    assert!(fields(|d| d.name = "更换正时皮带".repeat(33)).is_ok());
}

#[test]
fn the_minimum_level_is_1_to_5() {
    assert!(fields(|d| d.minimum_level = 1).is_ok());
    assert!(fields(|d| d.minimum_level = 5).is_ok());
    assert_eq!(broken(|d| d.minimum_level = 0), vec![OperationField::MinimumLevel]);
    assert_eq!(broken(|d| d.minimum_level = 6), vec![OperationField::MinimumLevel]);
}

#[test]
fn the_standard_hours_are_1_to_100000_hundredths() {
    assert!(fields(|d| d.standard_hours_hundredths = 1).is_ok());
    assert!(fields(|d| d.standard_hours_hundredths = 100_000).is_ok());
    assert_eq!(broken(|d| d.standard_hours_hundredths = 0), vec![OperationField::StandardHours]);
    assert_eq!(broken(|d| d.standard_hours_hundredths = 100_001), vec![OperationField::StandardHours]);
}

#[test]
fn every_broken_rule_is_named_at_once() {
    let all = broken(|d| {
        d.name.clear();
        d.skill_family = "ENGINE".into();
        d.minimum_level = 9;
        d.standard_hours_hundredths = -1;
    });
    use OperationField::*;
    assert_eq!(all, vec![Name, SkillFamily, MinimumLevel, StandardHours]);
}

#[test]
fn a_new_operation_is_active_at_revision_1() {
    let op = operation();
    assert!(op.active());
    assert_eq!(op.revision(), 1);
    assert_eq!(op.etag(), "\"1\"");
    assert_eq!(op.created_at(), op.updated_at());
}

#[test]
fn an_update_replaces_every_mutable_field_and_bumps_the_revision() {
    let mut op = operation();
    let new = fields(|d| {
        d.name = "Replace timing belt and pump".into();
        d.skill_family = "engine_major".into();
        d.minimum_level = 4;
        d.standard_hours_hundredths = 320;
    })
    .unwrap();
    assert!(op.update(new, false, at(5)));
    assert_eq!(op.name(), "Replace timing belt and pump");
    assert_eq!(op.skill_family().as_str(), "engine_major");
    assert_eq!((op.minimum_level(), op.standard_hours_hundredths(), op.active()), (4, 320, false));
    assert_eq!((op.revision(), op.updated_at(), op.created_at()), (2, at(5), at(0)));
    assert_eq!(op.code().as_str(), "ENG-0420");
}

#[test]
fn an_update_that_changes_nothing_keeps_the_revision() {
    let mut op = operation();
    let before = op.clone();
    assert!(!op.update(Fields::parse(draft()).unwrap(), true, at(5)));
    assert_eq!(op, before);
}

#[test]
fn a_retired_operation_can_be_brought_back() {
    let mut op = operation();
    assert!(op.update(Fields::parse(draft()).unwrap(), false, at(1)));
    assert!(op.update(Fields::parse(draft()).unwrap(), true, at(2)));
    assert!(op.active());
    assert_eq!(op.revision(), 3);
}

#[test]
fn only_the_current_etag_may_update() {
    let mut op = operation();
    assert!(op.check_etag(1).is_ok());
    op.update(fields(|d| d.minimum_level = 2).unwrap(), true, at(1));
    let stale = op.check_etag(1).unwrap_err();
    assert_eq!(stale.current, "\"2\"");
    assert!(op.check_etag(2).is_ok());
}

#[test]
fn etags_are_quoted_revisions() {
    assert_eq!(parse_etag("\"7\""), Some(7));
    assert_eq!(parse_etag("7"), Some(7));
    assert_eq!(parse_etag(""), None);
    assert_eq!(parse_etag("\"0\""), None);
    assert_eq!(parse_etag("W/\"x\""), None);
}
