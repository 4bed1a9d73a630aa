//! The suite's gRPC contracts, generated from `proto/aftersales/**` at build time.
//!
//! One module per proto package; `FILE_DESCRIPTOR_SET` is the encoded descriptor set of all of them, served by
//! reflection and used to name event payload types.
#![forbid(unsafe_code)]
#![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation)]

/// Encoded `FileDescriptorSet` of every aftersales proto file (imports included).
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/aftersales_descriptor.bin"));

/// `aftersales.common.v1`: money, paging, the event envelope and feed, the dev clock.
pub mod common {
    pub mod v1 {
        tonic::include_proto!("aftersales.common.v1");
    }
}

/// `aftersales.reception.v1`: the dealer's front desk.
pub mod reception {
    pub mod v1 {
        tonic::include_proto!("aftersales.reception.v1");
    }
}

/// `aftersales.workshop.v1`: jobs, technicians, work and inspection.
pub mod workshop {
    pub mod v1 {
        tonic::include_proto!("aftersales.workshop.v1");
    }
}

/// `aftersales.parts.v1`: catalogue, stock ledger, requisitions.
pub mod parts {
    pub mod v1 {
        tonic::include_proto!("aftersales.parts.v1");
    }
}

/// `aftersales.escalation.v1`: cases, SLA clocks, escalations.
pub mod escalation {
    pub mod v1 {
        tonic::include_proto!("aftersales.escalation.v1");
    }
}

/// `aftersales.supplier.v1`: suppliers and their claims.
pub mod supplier {
    pub mod v1 {
        tonic::include_proto!("aftersales.supplier.v1");
    }
}

/// A message that names its own full proto type, so it can be packed into an event envelope's `Any`.
pub trait EventMessage: prost::Message + Default {
    /// Full proto name, e.g. `aftersales.reception.v1.RepairOrderApproved`.
    const TYPE_NAME: &'static str;
}

macro_rules! event_messages {
    ($($svc:ident: [$($name:ident),* $(,)?]);* $(;)?) => {
        $(event_messages!(@one $svc [$($name),*]);)*
    };
    (@one $svc:ident [$($name:ident),*]) => {
        $(
            impl EventMessage for $svc::v1::$name {
                const TYPE_NAME: &'static str = concat!("aftersales.", stringify!($svc), ".v1.", stringify!($name));
            }
        )*
    };
}

event_messages! {
    reception: [
        RepairOrderCreated,
        RepairOrderApproved,
        RepairOrderCancelled,
        AdditionalWorkApproved,
        AdditionalWorkRefused,
        CustomerProgressNotified,
        CustomerDelayNotified,
        SettlementSigned,
        CreditNoteIssued,
        Delivered,
        FollowUpScheduled,
        FollowUpRecorded,
        CustomerDissatisfied,
        DealerUpdated,
        StaffUpdated,
        InquiryReceived,
        InquiryHandedOver,
        InquiryReplied,
        InquiryClosed,
        AppointmentRequested,
        AppointmentConfirmed,
        AppointmentRescheduled,
        AppointmentCancelled,
        AppointmentNoShow,
        FastLaneArranged,
        AppointmentReminderSent,
        VehicleCheckedIn,
    ];
    workshop: [
        JobQueued,
        OperationCatalogUpdated,
        TechnicianRegistered,
        TrainingRecorded,
        ShiftChanged,
        WorkshopSettingsChanged,
        JobAssigned,
        JobUnassigned,
        JobStarted,
        OperationClockedOn,
        OperationClockedOff,
        ProgressLogged,
        DelayReported,
        AdditionalWorkRequested,
        SelfCheckCompleted,
        InspectionPassed,
        InspectionFailed,
        JobReady,
        JobCancelled,
    ];
    parts: [CatalogueEntryCreated, StockMoved, PartsIssued, PartsReturned, RequisitionsClosed, PartWarrantyFailure, PartsReserved, ReservationReleased, PurchaseOrderPlaced, GoodsReceived];
    escalation: [CaseOpened, CaseClassified, CaseAssigned, CustomerContacted, AnalysisMeetingHeld, ExpertsOnsite, OnsiteWaiverRequested, OnsiteWaiverDecided, CaseStepRecorded, CaseProgressReported, CaseResolved, ResponsibilityDetermined, CaseClosed, ClockBreached, ClockEscalated, ClockClosed];
    supplier: [SupplierStatusChanged, ClaimDrafted, ClaimDraftRevised, ClaimWithdrawn, ClaimSent, ClaimAcknowledged, SolutionProposed, ContainmentRecorded, EightDSubmitted, ClaimAccepted, ClaimRejected, ChargebackAgreed, ChargebackDisputed, ClaimChargedBack, ClaimClosed];
}
