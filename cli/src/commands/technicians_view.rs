//! How technicians look: a readable record (skills, training history, shift), a table for lists, and JSON shaped
//! like the proto message.
#![forbid(unsafe_code)]

use aftersales_proto::workshop::v1::{AssessmentResult, Skill, Technician};
use serde_json::{Value, json};

use crate::output::{self, enum_json};

fn result(value: i32) -> String {
    AssessmentResult::try_from(value)
        .map(|r| output::short_name(r.as_str_name(), "ASSESSMENT_RESULT_"))
        .unwrap_or_else(|_| value.to_string())
}

/// `engine 3, electrical 2`; `none` without skills.
fn skills(skills: &[Skill]) -> String {
    if skills.is_empty() {
        return "none".into();
    }
    skills.iter().map(|s| format!("{} {}", s.skill_family, s.level)).collect::<Vec<_>>().join(", ")
}

fn shift(technician: &Technician) -> String {
    if technician.on_shift {
        format!("on shift since {}", output::time(technician.on_shift_since.as_ref()))
    } else {
        "off shift".into()
    }
}

/// One technician's record.
pub fn technician_text(t: &Technician) -> String {
    let mut text = format!("technician {}  {}\n", t.id, shift(t).to_ascii_uppercase());
    text += &format!("  name        {}\n", t.name);
    text += &format!("  subject     {}  (what they act as: --subject {})\n", t.subject, t.subject);
    text += &format!("  dealer      {}\n", t.dealer_id);
    text += &format!("  skills      {}\n", skills(&t.skills));
    text += &format!("  registered  {}\n", output::time(t.create_time.as_ref()));
    text += "  training";
    for record in &t.training {
        text += &format!(
            "\n    {}  {:<32} {} {}  {}",
            record.completed_on,
            record.course,
            record.skill_family,
            record.level,
            result(record.result).to_ascii_uppercase()
        );
    }
    if t.training.is_empty() {
        text += "\n    (none yet)";
    }
    text
}

/// A table of technicians, oldest registration first.
pub fn technicians_table(technicians: &[Technician]) -> String {
    let mut text = format!("{:<36}  {:<24}  {:<24}  {:<5}  SKILLS", "ID", "SUBJECT", "NAME", "SHIFT");
    for t in technicians {
        text += &format!(
            "\n{:<36}  {:<24}  {:<24}  {:<5}  {}",
            t.id,
            t.subject,
            t.name,
            if t.on_shift { "on" } else { "off" },
            skills(&t.skills)
        );
    }
    if technicians.is_empty() {
        text += "\n(no technicians)";
    }
    text
}

/// One technician as JSON.
pub fn technician_json(t: &Technician) -> Value {
    let skills: Vec<Value> =
        t.skills.iter().map(|s| json!({ "skill_family": s.skill_family, "level": s.level })).collect();
    let training: Vec<Value> = t
        .training
        .iter()
        .map(|r| {
            json!({
                "course": r.course,
                "skill_family": r.skill_family,
                "level": r.level,
                "completed_on": r.completed_on,
                "result": enum_json(r.result, |e: AssessmentResult| e.as_str_name()),
            })
        })
        .collect();
    json!({
        "id": t.id,
        "dealer_id": t.dealer_id,
        "subject": t.subject,
        "name": t.name,
        "on_shift": t.on_shift,
        "skills": skills,
        "training": training,
        "on_shift_since": output::time(t.on_shift_since.as_ref()),
        "create_time": output::time(t.create_time.as_ref()),
        "update_time": output::time(t.update_time.as_ref()),
    })
}

#[cfg(test)]
mod tests {
    use aftersales_proto::workshop::v1::TrainingRecord;

    use super::*;

    #[test]
    fn a_record_shows_the_subject_to_act_as_skills_and_training() {
        let t = Technician {
            id: "t-1".into(),
            subject: "tech-li".into(),
            name: "Li Wei".into(),
            skills: vec![Skill { skill_family: "engine".into(), level: 3 }],
            training: vec![TrainingRecord {
                course: "ENG-L3".into(),
                skill_family: "engine".into(),
                level: 3,
                completed_on: "2026-03-01".into(),
                result: AssessmentResult::Passed as i32,
            }],
            ..Technician::default()
        };
        let text = technician_text(&t);
        for expected in ["OFF SHIFT", "--subject tech-li", "engine 3", "2026-03-01  ENG-L3", "PASSED"] {
            assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
        }
        assert!(technicians_table(&[t]).contains("tech-li"));
    }
}
