"""Issue 10, round 7: personal data (GP014 2.3, second bullet) in the formats people really write.

Rules only: personal data is found by the rules alone, so these tests pin the patterns. Every
positive has hard negatives beside it in the same shapes (an office number, a repair's date, a
price, a flat count, a road named in a repair report). The sentences were written for these tests
before the engine was run on them; none comes from the tuning set or a fresh slice.
"""

import pytest

from moderation.policy import check


def personal_data(text):
    return [
        f for f in check(text, use_model=False, use_semantic=False).flags if f.category == "personal_data"
    ]


PHONES = [
    "If anyone wants to tell him what they think, his mobile is 07812 334 509",
    "ring me back on 07812334509 I'm home all afternoon",
    "My landline's 01284 763 219, the mobile has no signal in this flat",
    "Call Sandra on 01638-552-870 she'll tell you all about it",
    "Her work number is 020 7946 0718, bombard her",
    "you can reach my partner on +44 (0)7700 918 442 any time after 6",
    "Text 07.700.918.442 if you want the sofa, free to collect",
    "my nan's number, 0121 496 0883, she's been waiting a month",
    "+447956 112 874 is the one to ring if the dog's barking, it's his",
    "0 7 9 5 1 2 2 3 4 5 6 that's the lad's number",
    "His number is oh seven nine six one, four four two, eight one eight",
    "call me on zero seven seven double four one two three nine eight six",
    "ring 07956 one one two eight seven four and ask for Kelly",
    "landline is 01473.220.915 if the mobile's off",
]

EMAILS = [
    "email her at gemma.rix at gmail dot com and tell her yourself",
    "my email is paulbrett [at] outlook [dot] com, nobody has replied",
    "drop him a line: dazza_83 (at) yahoo.co.uk",
    "contact me on kerry dot lowe at hotmail dot co dot uk",
    "sue.bryant AT btinternet DOT com, that's me",
    "write to tom_hale at yahoo.co.uk and he'll sort you out",
]

POSTCODES_AND_ADDRESSES = [
    "he lives at IP32 6RG, the end house",
    "I'm at 4 Hollow Lane, IP30 9QT, the gate code is 1184",
    "her address is 9 Fen Row, IP28 if you want to go round",
    "flat 4, 22 Mill Lane - that's where Gaz and his mates make all the noise",
    "The woman at number 12 on Birch Close is the one nicking parcels",
    "He's in flat 9 at Orwell House, go and knock",
    "she lives in the house with the blue door opposite the Co-op on Station Hill",
    "My address is 31a Abbots Gate, please send someone",
    "his place is no. 7 Cornfield Rise, the one with the broken fence",
    "Darren Pike, 3 Willow Walk, still owes me two hundred quid",
    "they live above the chip shop on Risbygate, second door on the left",
    "Please send someone to 15 Orchard Close, the toilet won't flush",
]

DATES_OF_BIRTH = [
    "Date of birth 04/11/1958 if you need to check it's me",
    "He was born on 3rd May 1972, so he's old enough to know better",
    "my dob is 12.9.84 and the tenancy is in my name",
    "her birthday is the 21st of June 1990, she'll be 35",
]

NUMBERS_AND_REFERENCES = [
    "NI no: JK 44 19 02 B",
    "national insurance number jk441902b",
    "Send it to sort code 20 45 77 account 4412 9081",
    "bank: 40-47-84 / 71290334, name R Hughes",
    "my tenancy ref is HHP/0049312, can someone look at the account",
    "rent account no. 200457381 shows I paid",
    "Silver Corsa, KP19 WXN, parks across my drive every night",
    "his reg is ND66 OFT if anyone sees him",
]

SOMEONE_ELSES_LIFE = [
    "Her son Tyler goes to Sebert Wood Primary, maybe the teachers should know what she's like",
    "She works on the tills at the Tesco on Western Way, go and tell her there",
    "his daughter Mia is in year 3 at St Edmund's, pick up is at quarter past three",
    "Her instagram is @kayleigh.m_xo if anyone wants to message her",
    "add him on snapchat: lewisb_2007",
    "she's on tiktok as @mummyofthree_bse filming all of us",
]


@pytest.mark.parametrize(
    "text",
    PHONES + EMAILS + POSTCODES_AND_ADDRESSES + DATES_OF_BIRTH + NUMBERS_AND_REFERENCES + SOMEONE_ELSES_LIFE,
)
def test_personal_data_in_real_formats(text):
    flags = personal_data(text)
    assert flags, text
    assert flags[0].clause == "2.3"
    assert flags[0].evidence.strip(), text


NOT_PERSONAL = [
    # The organisation's own contact details.
    "Please ring the repairs line on 0300 123 4567 and quote your address",
    "Havebury's office number is 01284 722 000 if you'd rather phone than email",
    "Email us at customer.services@havebury.com with photos of the damp",
    "Follow us on Instagram @haveburyhomes for updates on the new homes",
    "Ring Citizens Advice on 0800 144 8848, they helped me loads",
    "Phoned 4 times on 0300 123 4567 and waited 45 minutes each time",
    # Dates of repairs and events, prices, counts, years.
    "The engineer came on 12/03/2024 and it's been fine since",
    "Sort it out by 12-05-25 or I'm going to the ombudsman",
    "Meeting at 7.30pm on 03/04 in the hall, all welcome",
    "Rent went up 7.7% to £112.40 a week",
    "Costs went from £1,250 to £1,870 in two years",
    "There are 24 flats in our block and only 2 bins",
    "Our new development at Moreton Hall has 48 homes, 12 of them for shared ownership",
    "I've lived here since 1987 and never seen it this bad",
    "Born and bred in Bury, 62 years on the same estate",
    "The tower on the Howard Estate has 11 floors and one lift",
    "The A14 was shut between junction 42 and 43 so the engineer was late",
    # A road or a block named as the site of a repair.
    "The streetlight on Mill Lane has been out for a fortnight",
    "Potholes all along Birch Close again, someone will break an ankle",
    "Street lamp outside 40 Hollow Lane flickers all night",
    "Flat 12 had the new windows done last week and they look great",
    "Scaffolding goes up at 15 Orchard Close on Monday, sorry for the noise",
    "Drop-in at the community centre, IP32 7HN, every Tuesday morning",
    "@Havebury when will the lift at Orwell House be fixed?",
    # Children, schools and work in general, and replies to someone.
    "My kids go to school at half eight so any time after that suits",
    "I work at the hospital so nights are hard to sleep with the drilling",
    "@sarah_b thanks, I'll give them a ring tomorrow",
    "Ask for the reference number when you ring so you can chase it",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_organisation_details_dates_prices_and_repair_sites_are_not_personal_data(text):
    assert not personal_data(text), (text, personal_data(text))
