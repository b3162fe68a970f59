"""Demo data: about 20 varied patients so a newcomer sees a realistic queue.

The intakes are our own, modelled on the golden cases: every alert level, most
consultations, cautions with ASRA classes, and why-not reasons. The engine
evaluates them when the demo is seeded, so the queue shows what it really says.
"""
import secrets
from datetime import timedelta

from sqlalchemy import select

from triage import evaluate
from web.extensions import db
from web.models import Submission, User, utcnow

DEMO_PREFIX = "DEMO"
DEMO_NURSE = "nurse"

PT = "physical_therapy"
NSAID = "anti_inflammatory"


def _intake(age, locations, weeks, peg, red_flags=(), symptoms=(), health=(), treatments=(), **extra):
    """Build an intake from the answers that vary between demo patients."""
    pain, enjoyment, activity = peg
    intake = {"age": age, "locations": list(locations), "duration_weeks": weeks,
              "pain_average": pain, "interference_enjoyment": enjoyment,
              "interference_activity": activity, "red_flags": list(red_flags),
              "symptoms": list(symptoms), "health": list(health), "treatments": list(treatments)}
    intake.update(extra)
    return intake


def _tried(kind, relief, weeks=0, **extra):
    """One treatment row: what, best relief in percent, weeks tried, and any other keys."""
    return {"type": kind, "relief_percent": relief, "weeks": weeks, **extra}


# (minutes since submission, reviewed, intake)
DEMO_PATIENTS = (
    (25, False, _intake(52, ["lower_back", "buttock", "leg"], 9, (7, 6, 8),
                        symptoms=["radiates_below_knee", "numbness_tingling"],
                        treatments=[_tried(PT, 20, 6), _tried(NSAID, 10, 8)])),
    (40, False, _intake(47, ["lower_back", "leg"], 3, (9, 9, 9),
                        red_flags=["saddle_numbness", "bladder_bowel_change"],
                        symptoms=["radiates_below_knee"])),
    (95, False, _intake(61, ["lower_back"], 30, (6, 5, 7), health=["antiplatelet", "diabetes"],
                        symptoms=["worse_twisting_leaning_back"],
                        treatments=[_tried(PT, 30, 8), _tried(NSAID, 20, 12)])),
    (130, False, _intake(58, ["neck", "shoulder", "arm"], 10, (8, 7, 7),
                         symptoms=["radiates_down_arm", "numbness_tingling"],
                         health=["blood_thinner", "antiplatelet", "diabetes", "diabetes_insulin"],
                         treatments=[_tried(PT, 10, 6), _tried("nerve_pain_medication", 20, 8)])),
    (15, False, _intake(39, ["head", "neck"], 2, (10, 8, 8),
                        red_flags=["sudden_severe_headache"])),
    (220, False, _intake(66, ["lower_back"], 4, (7, 7, 6), red_flags=["cancer_history", "night_rest_pain"],
                         treatments=[_tried(NSAID, 10, 3)])),
    (300, False, _intake(45, ["neck", "shoulder", "upper_back"], 26, (6, 6, 5),
                         symptoms=["tender_muscle_knot"],
                         treatments=[_tried(PT, 20, 8), _tried("massage", 30, 6), _tried("muscle_relaxant", 10, 6)])),
    (360, False, _intake(71, ["knee"], 80, (6, 6, 6), health=["knee_osteoarthritis", "blood_thinner"],
                         treatments=[_tried(PT, 10, 8), _tried("acetaminophen", 20, 20),
                                     _tried("knee_joint_injection", 30, weeks_ago=30)])),
    (400, False, _intake(34, ["head"], 20, (7, 6, 6), symptoms=["scalp_tender_back_of_head", "shooting_electric"],
                         health=["pregnant"])),
    (480, False, _intake(42, ["hand", "arm"], 14, (8, 8, 9),
                         symptoms=["pain_out_of_proportion", "touch_sensitivity",
                                   "limb_color_temperature_change", "limb_swelling_sweating"],
                         health=["no_driver"])),
    (520, False, _intake(56, ["buttock", "lower_back"], 40, (6, 5, 6),
                         health=["allergy_contrast"], treatments=[_tried(PT, 20, 10), _tried(NSAID, 25, 12)])),
    (600, False, _intake(28, ["lower_back"], 5, (5, 4, 4), red_flags=["self_harm_thoughts"],
                         treatments=[_tried(PT, 40, 2)])),
    (660, False, _intake(63, ["lower_back"], 60, (7, 6, 6), health=["implanted_device"],
                         treatments=[_tried(PT, 20, 12), _tried(NSAID, 10, 20),
                                     _tried("medial_branch_block", 90, weeks_ago=10),
                                     _tried("medial_branch_block", 85, weeks_ago=8)])),
    (720, False, _intake(77, ["upper_back"], 3, (8, 7, 8), health=["osteoporosis"])),
    (800, False, _intake(50, ["lower_back", "leg"], 2, (3, 2, 3), symptoms=["radiates_below_knee"])),
    (900, False, _intake(59, ["leg", "foot"], 6, (6, 5, 6), red_flags=["limb_swelling_or_cold"])),
    (1500, True, _intake(68, ["lower_back"], 120, (6, 6, 7), health=["sleep_apnea", "daily_opioid_or_sedative"],
                         treatments=[_tried(PT, 20, 12),
                                     _tried("facet_rfa", 70, weeks_ago=40, relief_weeks=36)])),
    (1800, True, _intake(44, ["neck"], 52, (5, 5, 4), symptoms=["radiates_down_arm"],
                         treatments=[_tried(PT, 30, 8), _tried("epidural_steroid_injection", 20, weeks_ago=20)])),
    (2600, True, _intake(36, ["lower_back", "buttock", "hip"], 16, (4, 3, 3),
                         treatments=[_tried(PT, 60, 8)])),
    (3000, True, _intake(81, ["knee"], 200, (7, 7, 7), health=["knee_replacement", "diabetes"],
                         treatments=[_tried(PT, 10, 12), _tried("acetaminophen", 10, 40),
                                     _tried("genicular_nerve_block", 70, weeks_ago=6)])),
)


def submission_for(intake, code, created_at, lang="en"):
    """Evaluate an intake and return an unsaved Submission."""
    return Submission.of_result(intake, evaluate(intake).to_dict(), code, lang, created_at)


def demo_exists():
    """True if demo submissions are already in the database."""
    found = select(Submission.id).where(Submission.checkin_code.startswith(DEMO_PREFIX)).limit(1)
    return db.session.execute(found).first() is not None


def seed_demo(hash_password):
    """Add the demo nurse and submissions; return the nurse's new password, or None if they existed."""
    now = utcnow()
    password = None
    nurse = db.session.execute(select(User).filter_by(username=DEMO_NURSE)).scalar_one_or_none()
    if nurse is None:
        password = secrets.token_urlsafe(12)
        nurse = User(username=DEMO_NURSE, password_hash=hash_password(password), role="nurse")
        db.session.add(nurse)
        db.session.flush()
    for number, (minutes, reviewed, intake) in enumerate(DEMO_PATIENTS, start=1):
        created = now - timedelta(minutes=minutes)
        submission = submission_for(intake, f"{DEMO_PREFIX}{number:02d}", created)
        if reviewed:
            submission.status = "reviewed"
            submission.reviewed_at = created + timedelta(minutes=45)
            submission.reviewed_by_id = nurse.id
            submission.review_note = "Demo: discussed at the visit; plan agreed with the physician."
        db.session.add(submission)
    db.session.commit()
    return password
