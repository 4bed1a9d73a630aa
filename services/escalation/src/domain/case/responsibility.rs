//! Root cause, responsibility determination (责任界定) and closing (DOMAIN.md, "Complaint and escalation"). Rules:
//! - a root-cause report names a cause category by 5M1E (人机料法环测), the analysis, and at least one corrective or
//!   preventive measure, each with the department and person responsible and a due date; it is recorded once, from
//!   diagnosis until the case is closed; its measures are then tracked to done, one by one, until the case is closed;
//! - every case, once the customer has confirmed, goes through responsibility determination: a meeting names the
//!   responsible department and person or a supplier (with part number and batch) — or cannot agree, and the dispute
//!   goes to a `quality` investigation, which weighs its evidence (production records, inspection reports, repair
//!   records) and names the party;
//! - the after-sales department then issues the responsibility report, with any compensation to the customer; it
//!   needs a named party and no open dispute; `oem_executive` approves it — which determines the responsibility —
//!   or rejects it with a reason, and a new report is issued;
//! - a case is closed from `responsibility` once its report is approved; an important or urgent case also needs its
//!   root-cause report, an urgent one its post-incident review and the end of its follow-up period.

use aftersales_kernel::{Money, SupplierId};
use chrono::{DateTime, NaiveDate, Utc};

use super::{Case, CaseSeverity, CaseState, Review, StepError};

/// The 5M1E cause categories of a cause-and-effect analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CauseCategory {
    /// 人 — people: skills, training, care.
    Man,
    /// 机 — machines and equipment.
    Machine,
    /// 料 — materials and parts.
    Material,
    /// 法 — methods and procedures.
    Method,
    /// 环 — environment: conditions of use, climate, fuel.
    Environment,
    /// 测 — measurement and inspection.
    Measurement,
}

impl CauseCategory {
    /// Every category.
    pub const ALL: [CauseCategory; 6] = [
        CauseCategory::Man,
        CauseCategory::Machine,
        CauseCategory::Material,
        CauseCategory::Method,
        CauseCategory::Environment,
        CauseCategory::Measurement,
    ];

    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            CauseCategory::Man => "man",
            CauseCategory::Machine => "machine",
            CauseCategory::Material => "material",
            CauseCategory::Method => "method",
            CauseCategory::Environment => "environment",
            CauseCategory::Measurement => "measurement",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<CauseCategory> {
        CauseCategory::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// Whether a measure corrects this failure or prevents the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureKind {
    /// Corrects the failure found.
    Corrective,
    /// Prevents it from happening again.
    Preventive,
}

impl MeasureKind {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::Corrective => "corrective",
            MeasureKind::Preventive => "preventive",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<MeasureKind> {
        [MeasureKind::Corrective, MeasureKind::Preventive].into_iter().find(|k| k.as_str() == name)
    }
}

/// A measure of a root-cause report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    /// 1, 2, … in the order of the report.
    pub number: u32,
    /// Corrective or preventive.
    pub kind: MeasureKind,
    /// What is to be done, 1..=4000 characters.
    pub description: String,
    /// The department responsible, 1..=200 characters.
    pub department: String,
    /// The person responsible, 1..=200 characters.
    pub person: String,
    /// When it is due.
    pub due_on: NaiveDate,
    /// Once done: when, by whom, with what note.
    pub done: Option<Done>,
}

/// A measure carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// When.
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub by: String,
    /// What was done, ≤ 4000 characters.
    pub note: String,
}

/// A root-cause report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootCause {
    /// The 5M1E category.
    pub category: CauseCategory,
    /// The analysis, 1..=4000 characters.
    pub analysis: String,
    /// Its measures, numbered from 1; at least one.
    pub measures: Vec<Measure>,
    /// Who recorded it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Who is responsible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    /// A department of the OEM (or the dealer) and a person in it.
    Department {
        /// 1..=200 characters.
        department: String,
        /// 1..=200 characters.
        person: String,
    },
    /// A supplier, for a part of one batch.
    Supplier {
        /// The supplier.
        supplier_id: SupplierId,
        /// The part number, 1..=40 characters.
        part_number: String,
        /// The batch, 1..=100 characters.
        batch: String,
    },
}

/// A quality investigation of a disputed responsibility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Investigation {
    /// References to the evidence weighed (production records, inspection reports, repair records), 1..=20 of
    /// 1..=1000 characters each.
    pub evidence: Vec<String>,
    /// The finding, 1..=4000 characters.
    pub finding: String,
    /// Who investigated.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Compensation to the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compensation {
    /// How much, not negative.
    pub amount: Money,
    /// What for, ≤ 4000 characters.
    pub note: String,
}

/// The responsibility report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponsibilityReport {
    /// Its summary, 1..=4000 characters.
    pub summary: String,
    /// Compensation to the customer, if any.
    pub compensation: Option<Compensation>,
    /// Who issued it (the after-sales department).
    pub issued_by: String,
    /// When.
    pub issued_at: DateTime<Utc>,
    /// The executive's decision, once made.
    pub review: Option<Review>,
}

/// What responsibility determination has found so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Responsibility {
    /// The responsible party, once named (by the meeting or the investigation).
    pub party: Option<Party>,
    /// The meeting's conclusion, 1..=4000 characters.
    pub meeting_note: String,
    /// The meeting could not agree: a quality investigation decides.
    pub disputed: bool,
    /// Who recorded the meeting.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The quality investigation, once made.
    pub investigation: Option<Investigation>,
    /// The report issued last.
    pub report: Option<ResponsibilityReport>,
}

impl Responsibility {
    /// The report is approved: responsibility is determined.
    pub fn determined(&self) -> bool {
        self.report.as_ref().and_then(|r| r.review.as_ref()).is_some_and(|r| r.approved)
    }
}

impl Case {
    /// Records the root-cause report (measures numbered here).
    pub fn record_root_cause(&mut self, mut report: RootCause) -> Result<(), StepError> {
        if self.state < CaseState::Diagnosis || self.state == CaseState::Closed {
            return Err(self.not_now("a root cause is reported from diagnosis until the case is closed"));
        }
        if self.root_cause.is_some() {
            return Err(StepError::Unchanged("with its root cause reported".into()));
        }
        for (i, measure) in report.measures.iter_mut().enumerate() {
            measure.number = i as u32 + 1;
            measure.done = None;
        }
        let at = report.at;
        self.root_cause = Some(report);
        self.touch(at);
        Ok(())
    }

    /// Marks measure `number` of the root-cause report done.
    pub fn complete_measure(&mut self, number: u32, done: Done) -> Result<(), StepError> {
        if self.state == CaseState::Closed {
            return Err(self.not_now("a closed case's measures are as they were"));
        }
        let at = done.at;
        let Some(report) = self.root_cause.as_mut() else {
            return Err(StepError::NoRootCause);
        };
        let Some(measure) = report.measures.iter_mut().find(|m| m.number == number) else {
            return Err(StepError::NoSuchMeasure(number));
        };
        if measure.done.is_some() {
            return Err(StepError::Unchanged(format!("done with measure {number}")));
        }
        measure.done = Some(done);
        self.touch(at);
        Ok(())
    }

    /// The responsibility meeting's conclusion: a party, or a dispute (with the party it leaned to, if any).
    pub fn determine_responsibility(
        &mut self,
        party: Option<Party>,
        disputed: bool,
        meeting_note: String,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StepError> {
        self.in_responsibility("the responsibility meeting follows the customer's confirmation")?;
        if self.responsibility.is_some() {
            return Err(StepError::Unchanged("past its responsibility meeting".into()));
        }
        if party.is_none() && !disputed {
            return Err(StepError::NoParty);
        }
        self.responsibility = Some(Responsibility {
            party,
            meeting_note,
            disputed,
            by: by.into(),
            at,
            investigation: None,
            report: None,
        });
        self.touch(at);
        Ok(())
    }

    /// `quality`'s investigation of a disputed responsibility names the party.
    pub fn investigate(&mut self, investigation: Investigation, party: Party) -> Result<(), StepError> {
        self.in_responsibility("an investigation follows a disputed responsibility meeting")?;
        let found = self.responsibility.as_mut().filter(|r| r.disputed).ok_or(StepError::NotDisputed)?;
        let at = investigation.at;
        found.party = Some(party);
        found.disputed = false;
        found.investigation = Some(investigation);
        self.touch(at);
        Ok(())
    }

    /// The after-sales department issues the responsibility report (again, after a rejection).
    pub fn issue_report(&mut self, report: ResponsibilityReport) -> Result<(), StepError> {
        self.in_responsibility("the report follows the responsibility meeting")?;
        let found = self.responsibility.as_mut().ok_or(StepError::NoParty)?;
        if found.disputed {
            return Err(StepError::Disputed);
        }
        if found.report.as_ref().is_some_and(|r| r.review.as_ref().is_none_or(|v| v.approved)) {
            return Err(StepError::Unchanged("with its responsibility report issued".into()));
        }
        let at = report.issued_at;
        found.report = Some(report);
        self.touch(at);
        Ok(())
    }

    /// `oem_executive` approves the report (responsibility determined) or rejects it.
    pub fn review_report(&mut self, review: Review) -> Result<(), StepError> {
        self.in_responsibility("a responsibility report is reviewed once issued")?;
        let report = self.responsibility.as_mut().and_then(|r| r.report.as_mut()).ok_or(StepError::NoReport)?;
        if report.review.is_some() {
            return Err(StepError::Unchanged("reviewed: a rejected report is issued anew".into()));
        }
        let at = review.at;
        report.review = Some(review);
        self.touch(at);
        Ok(())
    }

    /// Closes the case.
    pub fn close(&mut self, at: DateTime<Utc>) -> Result<(), StepError> {
        self.in_responsibility("a case is closed once its responsibility is determined")?;
        if !self.responsibility.as_ref().is_some_and(Responsibility::determined) {
            return Err(StepError::NotDetermined);
        }
        if self.severity() > Some(CaseSeverity::General) && self.root_cause.is_none() {
            return Err(StepError::NoRootCause);
        }
        self.urgent_close_check(at)?;
        self.state = CaseState::Closed;
        self.closed_at = Some(at);
        self.touch(at);
        Ok(())
    }

    fn in_responsibility(&self, needed: &'static str) -> Result<(), StepError> {
        if self.state == CaseState::Responsibility { Ok(()) } else { Err(self.not_now(needed)) }
    }
}
