"""DfE code lists used on a child's record (SEN2 and the school census)."""

from django.db import models


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class Ethnicity(models.TextChoices):
    """DfE extended ethnicity codes (school census / SEN2)."""

    WBRI = "WBRI", "White - British"
    WCOR = "WCOR", "White - Cornish"
    WIRI = "WIRI", "White - Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other white background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black - African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class UPNUnknownReason(models.TextChoices):
    """SEN2 UPNunknown codes, given when a child has no UPN.

    UN1-UN5 follow the DfE's common basic data set; the wording of UN6-UN10 is our
    reading of the SEN2 guide (check against the current specification)."""

    UN1 = "UN1", "Child is now aged over 18"
    UN2 = "UN2", "Child has never attended a state school in England"
    UN3 = "UN3", "Child is educated at home"
    UN4 = "UN4", "Child has recently arrived and UPN not yet obtained"
    UN5 = "UN5", "Sources collating UPNs reflect discrepancy"
    UN6 = "UN6", "Child is an unaccompanied asylum seeker"
    UN7 = "UN7", "Referral to SEN team by non-school source"
    UN8 = "UN8", "Child is in early years provision"
    UN9 = "UN9", "Child is in further education"
    UN10 = "UN10", "Child is in independent provision"


class NeedType(models.TextChoices):
    """SEN2 SENtype: primary and secondary types of need."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    DS = "DS", "Down syndrome"
    OTH = "OTH", "Other difficulty or disability"
