"""Dutch demo content for the two demo lokets: pages, routes and FAQ entries, as pure data.

Each item is written in the API's input form, exactly the (camelCase) keys that the schemas in
``core.content.schemas`` accept, plus one optional key that no schema knows: ``"_status"``, either
``"published"`` (the default when absent) or ``"draft"``. Strip ``_status`` before loading an item.

The lokets are modelled on the two good examples in the source document (Voordeklas.nl for po,
VOTA.nl for vo). Facts are kept general on purpose: where amounts or exact rules change from year
to year, the text sends readers to the school, the programme or the national Onderwijsloket.
"""

from __future__ import annotations

DEMO_CONTENT: dict[str, dict[str, list[dict]]] = {
    # ------------------------------------------------------------------------------------------
    # Voor de Klas: a po loket of three RAP-regio's in the province of Utrecht.
    # ------------------------------------------------------------------------------------------
    "voordeklas": {
        "page": [
            {
                "slug": "leraar-basisonderwijs",
                "title": "Leraar basisonderwijs",
                "summary": (
                    "Als leraar basisonderwijs geef je les aan kinderen van vier tot twaalf jaar en "
                    "zie je ze elke dag groeien. Lees wat het werk inhoudt en hoe je leraar wordt."
                ),
                "body": (
                    "Als leraar (of juf of meester) sta je voor een groep kinderen in de leeftijd "
                    "van vier tot twaalf jaar. Je leert ze lezen, schrijven en rekenen, maar je "
                    "helpt ze ook om samen te werken, nieuwsgierig te blijven en zelfvertrouwen te "
                    "krijgen. Geen dag is hetzelfde.\n\n"
                    "## Wat doe je als leraar?\n\n"
                    "- Je bereidt lessen voor en geeft ze, voor de hele groep en in kleine groepjes.\n"
                    "- Je volgt de ontwikkeling van elk kind en past je aanpak daarop aan.\n"
                    "- Je praat met ouders en werkt samen met collega's, de intern begeleider en "
                    "de onderwijsassistent.\n"
                    "- Je denkt mee over de koers van de school.\n\n"
                    "## Hoe word je leraar basisonderwijs?\n\n"
                    "Om zelfstandig les te geven in het basisonderwijs heb je een bevoegdheid "
                    "nodig. Die haal je op de pabo: voltijd, in deeltijd of verkort als je al een "
                    "hbo- of wo-diploma hebt. Heb je al een diploma en werkervaring, dan is "
                    "zij-instroom misschien iets voor jou: je werkt dan meteen op een school en "
                    "haalt je bevoegdheid in maximaal twee jaar.\n\n"
                    "Twijfel je welke route bij je past? Bekijk onze routes of neem contact op met "
                    "onze helpdesk. We denken graag met je mee."
                ),
                "sectors": ["po"],
                "professions": ["leraar"],
                "audiences": ["zij-instromers", "herintreders", "studenten", "scholieren"],
                "tags": ["beroep", "leraar"],
            },
            {
                "slug": "onderwijsassistent",
                "title": "Onderwijsassistent",
                "summary": (
                    "Een onderwijsassistent ondersteunt de leraar in de klas en geeft kinderen "
                    "extra aandacht, alleen of in kleine groepjes."
                ),
                "body": (
                    "Als onderwijsassistent werk je in de klas samen met de leraar. Je begeleidt "
                    "kinderen die extra uitleg nodig hebben, leest voor, oefent met een groepje "
                    "rekenen of helpt bij een creatieve les. Zo heeft de leraar meer ruimte voor "
                    "de hele groep.\n\n"
                    "## Wat vraagt het werk?\n\n"
                    "- Plezier in het werken met kinderen en geduld.\n"
                    "- Goed kunnen samenwerken: de leraar blijft eindverantwoordelijk voor de les.\n"
                    "- Een passende opleiding, meestal de mbo-opleiding onderwijsassistent op "
                    "niveau 4.\n\n"
                    "Onderwijsassistenten zijn op veel scholen hard nodig, zeker nu scholen "
                    "zoeken naar andere manieren om het onderwijs te organiseren. Het is ook een "
                    "mooie eerste stap: veel onderwijsassistenten gaan later door naar de pabo.\n\n"
                    "Bekijk de route *Opleiding onderwijsassistent* of de vacatures van onze "
                    "aangesloten schoolbesturen."
                ),
                "sectors": ["po"],
                "professions": ["onderwijsassistent"],
                "audiences": ["scholieren", "studenten", "herintreders"],
                "tags": ["beroep", "ondersteuning"],
            },
            {
                "slug": "schoolleider",
                "title": "Schoolleider in het basisonderwijs",
                "summary": (
                    "Als schoolleider geef je richting aan het onderwijs op je school en zorg je "
                    "voor een team dat goed kan werken. Ook schoolleiders zijn hard nodig."
                ),
                "body": (
                    "Een goede schoolleider maakt het verschil. Je bepaalt samen met je team de "
                    "koers van de school, je coacht leraren en je zorgt dat het onderwijs goed "
                    "geregeld is: van het rooster tot de begroting.\n\n"
                    "## Wat doe je als schoolleider?\n\n"
                    "- Je geeft leiding aan het team en voert gesprekken over ontwikkeling.\n"
                    "- Je bent het aanspreekpunt voor ouders, het bestuur en partners in de wijk.\n"
                    "- Je werkt aan de kwaliteit van het onderwijs en aan een prettige sfeer.\n\n"
                    "## Hoe word je schoolleider?\n\n"
                    "De meeste schoolleiders hebben eerst een aantal jaren als leraar gewerkt en "
                    "volgen daarna een schoolleidersopleiding. Sommige besturen bieden een eigen "
                    "traject voor aankomende schoolleiders. Vraag bij de besturen in onze regio "
                    "welke mogelijkheden er zijn.\n\n"
                    "Ben je leraar en denk je na over een leidinggevende rol? Neem contact op met "
                    "onze helpdesk, dan brengen we je in contact met een bestuur in de buurt."
                ),
                "sectors": ["po"],
                "professions": ["schoolleider"],
                "audiences": ["onderwijspersoneel", "zij-instromers"],
                "tags": ["beroep", "leidinggeven"],
            },
            {
                "slug": "lerarenondersteuner",
                "title": "Lerarenondersteuner",
                "summary": (
                    "Een lerarenondersteuner neemt onder verantwoordelijkheid van de leraar "
                    "onderwijstaken over, zoals het begeleiden van een groep bij een les."
                ),
                "body": (
                    "Een lerarenondersteuner gaat een stap verder dan een onderwijsassistent. Je "
                    "voert zelf onderwijstaken uit die de leraar heeft voorbereid: je begeleidt "
                    "een groep bij verwerkingsopdrachten, geeft instructie aan een kleine groep of "
                    "neemt een deel van een les over. De leraar blijft verantwoordelijk voor het "
                    "onderwijs.\n\n"
                    "## Welke opleiding heb je nodig?\n\n"
                    "Veel lerarenondersteuners hebben een associate degree (een tweejarige "
                    "hbo-opleiding) in het onderwijs, of een mbo-4-diploma met ruime ervaring in de "
                    "klas. Wat een school precies vraagt, verschilt per functie; kijk goed in de "
                    "vacature.\n\n"
                    "## Goed om te weten\n\n"
                    "- Met een associate degree kun je vaak doorstuderen aan de pabo.\n"
                    "- Het werk past goed bij wie graag met kinderen werkt, maar (nog) geen "
                    "eindverantwoordelijkheid voor een groep wil."
                ),
                "sectors": ["po"],
                "professions": ["lerarenondersteuner"],
                "audiences": ["studenten", "onderwijspersoneel", "herintreders"],
                "tags": ["beroep", "ondersteuning"],
            },
            {
                "slug": "vakleerkracht-bewegingsonderwijs",
                "title": "Vakleerkracht bewegingsonderwijs",
                "summary": (
                    "Als vakleerkracht bewegingsonderwijs geef je gymles aan alle groepen van een "
                    "of meer basisscholen en laat je kinderen plezier in bewegen ontdekken."
                ),
                "body": (
                    "Basisscholen zijn wettelijk verplicht hun leerlingen minimaal twee lesuren "
                    "bewegingsonderwijs per week te geven. Veel scholen werken daarvoor met een "
                    "vakleerkracht: een specialist die de gymlessen voor meerdere groepen of "
                    "scholen verzorgt.\n\n"
                    "## Wat doe je?\n\n"
                    "- Je geeft gymlessen aan kinderen van groep 1 tot en met 8.\n"
                    "- Je ziet hoe kinderen motorisch ontwikkelen en signaleert waar extra hulp "
                    "nodig is.\n"
                    "- Vaak organiseer je ook sportdagen of naschoolse activiteiten.\n\n"
                    "## Welke bevoegdheid heb je nodig?\n\n"
                    "Vakleerkrachten hebben meestal de opleiding tot leraar lichamelijke opvoeding "
                    "(ALO) gevolgd. Ben je al leraar basisonderwijs, dan kun je met een aanvullende "
                    "opleiding (de leergang vakbekwaamheid bewegingsonderwijs) ook zelf gymles "
                    "geven. Vraag de opleiding naar de actuele toelatingseisen."
                ),
                "sectors": ["po"],
                "professions": ["vakleerkracht"],
                "audiences": ["studenten", "onderwijspersoneel"],
                "tags": ["beroep", "bewegingsonderwijs"],
            },
            {
                "_status": "draft",
                "slug": "intern-begeleider",
                "title": "Intern begeleider",
                "summary": (
                    "De intern begeleider (ib'er) zorgt samen met leraren dat elk kind de "
                    "ondersteuning krijgt die het nodig heeft."
                ),
                "body": (
                    "Als intern begeleider ben je de spil van de leerlingenzorg op school. Je "
                    "denkt mee met leraren over kinderen die extra ondersteuning nodig hebben, "
                    "je bewaakt de ontwikkeling van groepen en je onderhoudt contact met ouders en "
                    "externe partners, zoals het samenwerkingsverband.\n\n"
                    "## Wat doe je als ib'er?\n\n"
                    "- Je voert groeps- en leerlingbesprekingen met leraren.\n"
                    "- Je coacht leraren in de klas.\n"
                    "- Je helpt bij het opstellen van plannen voor leerlingen met extra "
                    "ondersteuning.\n\n"
                    "## Hoe word je intern begeleider?\n\n"
                    "De meeste ib'ers zijn ervaren leraren die een aanvullende opleiding hebben "
                    "gevolgd, bijvoorbeeld een master op het gebied van passend onderwijs of een "
                    "specifieke opleiding tot intern begeleider. Vraag je eigen bestuur naar de "
                    "mogelijkheden."
                ),
                "sectors": ["po"],
                "professions": ["intern-begeleider"],
                "audiences": ["onderwijspersoneel"],
                "tags": ["beroep", "leerlingenzorg"],
            },
            {
                "slug": "over-voor-de-klas",
                "title": "Over Voor de Klas",
                "summary": (
                    "Voor de Klas is het regionale onderwijsloket van drie RAP-regio's po in de "
                    "provincie Utrecht. We helpen je op weg naar een baan in het basisonderwijs."
                ),
                "body": (
                    "Wil je werken in het basisonderwijs in de provincie Utrecht? Dan ben je bij "
                    "Voor de Klas aan het goede adres. Wij zijn het regionale onderwijsloket van "
                    "drie RAP-regio's in het primair onderwijs. Schoolbesturen in de regio werken "
                    "via ons samen om nieuwe collega's te vinden en goed op weg te helpen.\n\n"
                    "## Wat kun je bij ons vinden?\n\n"
                    "- **Informatie** over alle beroepen in het basisonderwijs: niet alleen "
                    "leraar, maar ook onderwijsassistent, lerarenondersteuner, vakleerkracht en "
                    "schoolleider.\n"
                    "- **Routes** naar een baan in het onderwijs, zoals de pabo, zij-instroom en "
                    "herintreding.\n"
                    "- **Vacatures** van de aangesloten schoolbesturen, zowel vaste banen als "
                    "vervangingen.\n"
                    "- **Meeloopdagen**: loop een dag mee op een basisschool en ervaar zelf hoe "
                    "het is om voor de klas te staan.\n\n"
                    "## Onze helpdesk\n\n"
                    "Heb je een vraag over je mogelijkheden? Stel hem via het contactformulier op "
                    "deze site. Onze adviseurs kennen de scholen en opleidingen in de regio en "
                    "denken met je mee. Een gesprek met ons is gratis en vrijblijvend.\n\n"
                    "Voor algemene vragen over routes naar het onderwijs kun je ook terecht bij het "
                    "landelijke Onderwijsloket. Zij verwijzen je voor regionale vragen weer naar "
                    "ons door."
                ),
                "sectors": ["po"],
                "professions": [],
                "audiences": [
                    "zij-instromers",
                    "herintreders",
                    "studenten",
                    "scholieren",
                    "onderwijspersoneel",
                    "werkgevers",
                ],
                "tags": ["over-ons", "loket"],
            },
        ],
        "route": [
            {
                "slug": "pabo-voltijd",
                "title": "Pabo voltijd",
                "kind": "pabo",
                "summary": (
                    "De voltijd pabo is een vierjarige hbo-bachelor. Je haalt je bevoegdheid voor "
                    "het hele basisonderwijs, van groep 1 tot en met 8."
                ),
                "body": (
                    "De pabo (pedagogische academie basisonderwijs) leidt je op tot leraar "
                    "basisonderwijs. In de voltijdopleiding combineer je lessen op de hogeschool "
                    "met stages op basisscholen. Vanaf het eerste jaar sta je dus al voor de "
                    "klas.\n\n"
                    "## Voor wie?\n\n"
                    "De voltijd pabo past goed bij jou als je van de havo, het vwo of het mbo komt "
                    "en je helemaal op de opleiding wilt richten.\n\n"
                    "## Tip\n\n"
                    "Loop eerst een dag mee op een basisschool in onze regio, of bezoek een open "
                    "dag van een pabo. Zo weet je zeker of het vak bij je past."
                ),
                "sectors": ["po"],
                "professions": ["leraar"],
                "duration": "4 jaar voltijd",
                "durationMonths": 48,
                "cost": "Wettelijk collegegeld; vraag de pabo naar de actuele bedragen",
                "costEuros": None,
                "conditions": [
                    "Een havo-, vwo- of mbo-4-diploma (of een toelatingsonderzoek als je 21 jaar "
                    "of ouder bent en geen passend diploma hebt)",
                    "De pabo kan aanvullende toelatingseisen stellen; vraag de opleiding welke "
                    "eisen voor jou gelden",
                    "Een verklaring omtrent het gedrag (VOG) voor je stages",
                ],
                "steps": [
                    {
                        "title": "Oriënteer je",
                        "description": "Bezoek open dagen van pabo's en loop een dag mee op een "
                        "basisschool.",
                    },
                    {
                        "title": "Meld je aan via Studielink",
                        "description": "Schrijf je in voor de pabo van je keuze en volg de "
                        "intake van de opleiding.",
                    },
                    {
                        "title": "Studeer en loop stage",
                        "description": "Je combineert colleges met stages op verschillende "
                        "basisscholen en in verschillende groepen.",
                    },
                    {
                        "title": "Aan de slag",
                        "description": "Met je pabodiploma ben je bevoegd leraar basisonderwijs. "
                        "Bekijk de vacatures van onze schoolbesturen.",
                    },
                ],
                "onderwijsloketUrl": "https://www.onderwijsloket.com/",
                "tags": ["pabo", "opleiding"],
            },
            {
                "slug": "pabo-deeltijd-verkort",
                "title": "Pabo deeltijd of verkort",
                "kind": "shortened_part_time",
                "summary": (
                    "Heb je al een hbo- of wo-diploma? Dan kun je vaak een verkorte pabo in "
                    "deeltijd volgen, naast je werk of andere verplichtingen."
                ),
                "body": (
                    "Veel pabo's bieden een deeltijdopleiding aan, vaak in de avond of op een vaste "
                    "dag per week. Met een afgeronde hbo- of wo-opleiding kom je meestal in "
                    "aanmerking voor een verkort traject, omdat je vrijstellingen krijgt voor een "
                    "deel van de opleiding.\n\n"
                    "## Hoe ziet het eruit?\n\n"
                    "- Je volgt colleges op de hogeschool, vaak een dag of avond per week.\n"
                    "- Je werkt of loopt stage op een basisschool, zodat je theorie en praktijk "
                    "direct combineert.\n"
                    "- De duur hangt af van je vooropleiding en de vrijstellingen die je krijgt.\n\n"
                    "## Verkort deeltijd of zij-instroom?\n\n"
                    "Beide routes zijn bedoeld voor mensen met een diploma. Bij zij-instroom ben je "
                    "vanaf het begin in dienst van een school en haal je je bevoegdheid in "
                    "maximaal twee jaar. Bij een verkorte deeltijdopleiding ben je eerst student. "
                    "Twijfel je? Onze helpdesk zet de verschillen graag voor je op een rij."
                ),
                "sectors": ["po"],
                "professions": ["leraar"],
                "duration": "Meestal ongeveer 2 jaar, afhankelijk van je vooropleiding",
                "durationMonths": 24,
                "cost": "Collegegeld; vraag de pabo naar de actuele bedragen",
                "costEuros": None,
                "conditions": [
                    "Een afgeronde hbo- of wo-opleiding voor het verkorte traject",
                    "Een werkplek of stageplek op een basisschool (vraag de pabo naar de precieze "
                    "eisen)",
                    "Een verklaring omtrent het gedrag (VOG)",
                ],
                "steps": [
                    {
                        "title": "Vergelijk opleidingen",
                        "description": "Bekijk welke pabo's in de regio een verkorte "
                        "deeltijdopleiding aanbieden en wanneer die starten.",
                    },
                    {
                        "title": "Zoek een werk- of stageplek",
                        "description": "Onze helpdesk helpt je in contact te komen met een "
                        "school van een aangesloten bestuur.",
                    },
                    {
                        "title": "Meld je aan",
                        "description": "Schrijf je in via Studielink en laat de opleiding je "
                        "vrijstellingen vaststellen.",
                    },
                    {
                        "title": "Rond je opleiding af",
                        "description": "Met je diploma ben je bevoegd leraar basisonderwijs.",
                    },
                ],
                "onderwijsloketUrl": "https://www.onderwijsloket.com/",
                "tags": ["pabo", "deeltijd", "opleiding"],
            },
            {
                "slug": "zij-instroom-po",
                "title": "Zij-instroom in het basisonderwijs",
                "kind": "lateral_entry",
                "summary": (
                    "Heb je een hbo- of wo-diploma en wil je overstappen naar het basisonderwijs? "
                    "Met zij-instroom werk je meteen op een school en haal je je bevoegdheid in "
                    "maximaal twee jaar."
                ),
                "body": (
                    "Zij-instroom is bedoeld voor mensen die al een hbo- of wo-diploma hebben en "
                    "vanuit een ander vak de overstap naar het onderwijs willen maken. Je gaat aan "
                    "het werk op een basisschool en volgt tegelijk een opleidingstraject bij een "
                    "pabo.\n\n"
                    "## Zo werkt het\n\n"
                    "Eerst doe je een geschiktheidsonderzoek bij een pabo. Daarin kijkt de "
                    "opleiding wat je al kunt en wat je nog moet leren. Op basis daarvan krijg je "
                    "een persoonlijk opleidingsplan. Je traject duurt maximaal twee jaar en je "
                    "werkt in die tijd op school, met begeleiding van een ervaren collega.\n\n"
                    "## Wie betaalt het?\n\n"
                    "De school die je aanneemt kan voor jou de subsidie zij-instroom aanvragen. "
                    "Die subsidie is bedoeld voor de kosten van je opleiding en begeleiding. Maak "
                    "met je werkgever goede afspraken over wat de school betaalt.\n\n"
                    "## Goed om te weten\n\n"
                    "- Zij-instroom is intensief: je werkt en studeert tegelijk.\n"
                    "- Een meeloopdag vooraf helpt je om te ontdekken of het onderwijs bij je past.\n"
                    "- Onze helpdesk weet welke schoolbesturen in de regio zij-instromers zoeken."
                ),
                "sectors": ["po"],
                "professions": ["leraar"],
                "duration": "Maximaal 2 jaar naast je baan op school",
                "durationMonths": 24,
                "cost": "Meestal betaald door de school, die de subsidie zij-instroom kan aanvragen",
                "costEuros": None,
                "conditions": [
                    "Een afgerond hbo- of wo-diploma (bachelor of master)",
                    "Een positief geschiktheidsonderzoek bij een pabo",
                    "Een baan (arbeidsovereenkomst) bij een basisschool tijdens het traject",
                    "Een verklaring omtrent het gedrag (VOG)",
                ],
                "steps": [
                    {
                        "title": "Oriënteer je en loop mee",
                        "description": "Vraag via Voor de Klas een meeloopdag aan en praat met "
                        "onze helpdesk over je mogelijkheden.",
                    },
                    {
                        "title": "Vind een school",
                        "description": "Solliciteer op een zij-instroomvacature van een van de "
                        "aangesloten schoolbesturen.",
                    },
                    {
                        "title": "Doe het geschiktheidsonderzoek",
                        "description": "Een pabo onderzoekt of je geschikt bent en stelt samen "
                        "met jou en de school een opleidingsplan op.",
                    },
                    {
                        "title": "Werk en leer",
                        "description": "In maximaal twee jaar combineer je je baan met je "
                        "opleiding, met begeleiding op school.",
                    },
                    {
                        "title": "Bevoegd voor de klas",
                        "description": "Rond je het traject met succes af, dan ben je bevoegd "
                        "leraar basisonderwijs.",
                    },
                ],
                "onderwijsloketUrl": "https://www.onderwijsloket.com/",
                "tags": ["zij-instroom", "overstappen"],
            },
            {
                "slug": "herintreding-po",
                "title": "Herintreden in het basisonderwijs",
                "kind": "re_entry",
                "summary": (
                    "Heb je vroeger voor de klas gestaan en wil je terugkeren? Je pabodiploma blijft "
                    "geldig. Wij helpen je weer op weg."
                ),
                "body": (
                    "Misschien heb je een tijd iets anders gedaan, of heb je een pauze genomen voor "
                    "de zorg voor je gezin. Wil je weer aan de slag in het basisonderwijs? Dan ben "
                    "je van harte welkom terug.\n\n"
                    "## Je bevoegdheid blijft geldig\n\n"
                    "Een pabodiploma vervalt niet. Je mag dus gewoon weer solliciteren als leraar. "
                    "Wel is er in de tussentijd misschien veel veranderd, bijvoorbeeld in "
                    "lesmethodes en het gebruik van digitale middelen.\n\n"
                    "## Hoe helpen we je?\n\n"
                    "- We bespreken samen wat je zoekt: een vaste baan, invalwerk of een paar dagen "
                    "per week.\n"
                    "- We wijzen je op opfriscursussen en begeleidingstrajecten voor "
                    "herintreders.\n"
                    "- Een meeloopdag helpt je om weer te wennen aan de klas.\n\n"
                    "Invalwerk is vaak een goede manier om weer te beginnen. Veel schoolbesturen in "
                    "onze regio zoeken invallers."
                ),
                "sectors": ["po"],
                "professions": ["leraar"],
                "duration": "Verschilt per persoon; vaak kun je direct beginnen",
                "durationMonths": None,
                "cost": "Meestal geen kosten; vraag je school naar vergoeding van een opfriscursus",
                "costEuros": None,
                "conditions": [
                    "Een pabodiploma of een andere bevoegdheid voor het basisonderwijs",
                    "Een verklaring omtrent het gedrag (VOG)",
                ],
                "steps": [
                    {
                        "title": "Neem contact op",
                        "description": "Vertel onze helpdesk wat je zoekt; we denken mee over "
                        "de beste start.",
                    },
                    {
                        "title": "Fris je kennis op",
                        "description": "Loop een dag mee en volg zo nodig een opfriscursus voor "
                        "herintreders.",
                    },
                    {
                        "title": "Solliciteer",
                        "description": "Reageer op vacatures of meld je aan als invaller bij een "
                        "aangesloten schoolbestuur.",
                    },
                ],
                "onderwijsloketUrl": "https://www.onderwijsloket.com/",
                "tags": ["herintreding", "terugkeren"],
            },
            {
                "_status": "draft",
                "slug": "opleiding-onderwijsassistent",
                "title": "Opleiding onderwijsassistent",
                "kind": "other",
                "summary": (
                    "Met de mbo-opleiding onderwijsassistent op niveau 4 ga je aan de slag als "
                    "ondersteuner in de klas. Je kunt de opleiding voltijd of werkend leren volgen."
                ),
                "body": (
                    "De opleiding onderwijsassistent is een mbo-opleiding op niveau 4. Je leert "
                    "hoe je kinderen begeleidt en hoe je de leraar ondersteunt bij het "
                    "onderwijs.\n\n"
                    "## Twee leerwegen\n\n"
                    "- **bol** (beroepsopleidende leerweg): je gaat naar school en loopt stage.\n"
                    "- **bbl** (beroepsbegeleidende leerweg): je werkt op een school en gaat "
                    "daarnaast een dag per week naar het mbo.\n\n"
                    "Heb je al een relevante opleiding, bijvoorbeeld als pedagogisch medewerker, "
                    "dan kom je soms in aanmerking voor een verkort traject.\n\n"
                    "## En daarna?\n\n"
                    "Met je diploma kun je aan de slag als onderwijsassistent. Wil je verder "
                    "groeien, dan kun je doorstromen naar een associate degree of de pabo."
                ),
                "sectors": ["po"],
                "professions": ["onderwijsassistent"],
                "duration": "Meestal 3 jaar; korter met een relevante vooropleiding",
                "durationMonths": 36,
                "cost": "Vanaf 18 jaar betaal je les- of cursusgeld; vraag de mbo-school naar de "
                "actuele bedragen",
                "costEuros": None,
                "conditions": [
                    "Een vmbo-diploma (kader of gemengd/theoretisch) of een vergelijkbare "
                    "vooropleiding; vraag de mbo-school naar de toelatingseisen",
                    "Voor bbl: een baan of leerwerkplek op een school",
                    "Een verklaring omtrent het gedrag (VOG) voor je stage of werkplek",
                ],
                "steps": [
                    {
                        "title": "Kies een mbo-school",
                        "description": "Vergelijk de opleidingen onderwijsassistent in de regio "
                        "en bezoek een open dag.",
                    },
                    {
                        "title": "Kies bol of bbl",
                        "description": "Wil je vooral leren of meteen werken? Voor bbl heb je een "
                        "leerwerkplek nodig; wij helpen je zoeken.",
                    },
                    {
                        "title": "Rond je opleiding af",
                        "description": "Met je diploma kun je solliciteren als onderwijsassistent "
                        "bij de aangesloten schoolbesturen.",
                    },
                ],
                "onderwijsloketUrl": "https://www.onderwijsloket.com/",
                "tags": ["mbo", "ondersteuning", "opleiding"],
            },
        ],
        "faq": [
            {
                "slug": "welke-opleiding-heb-ik-nodig",
                "topic": "Opleiding",
                "position": 1,
                "question": "Welke opleiding heb ik nodig om leraar basisonderwijs te worden?",
                "answer": (
                    "Om zelfstandig les te geven in het basisonderwijs heb je een bevoegdheid "
                    "nodig. Die haal je op de pabo. Er zijn verschillende manieren om dat te "
                    "doen:\n\n"
                    "- de **voltijd pabo** als je van de havo, het vwo of het mbo komt;\n"
                    "- een **verkorte deeltijd pabo** als je al een hbo- of wo-diploma hebt;\n"
                    "- **zij-instroom** als je een diploma hebt en meteen op een school wilt "
                    "werken.\n\n"
                    "Bekijk onze routes of vraag onze helpdesk om advies."
                ),
                "sectors": ["po"],
                "tags": ["pabo", "bevoegdheid"],
            },
            {
                "slug": "pabo-met-mbo-diploma",
                "topic": "Opleiding",
                "position": 2,
                "question": "Kan ik met een mbo-diploma naar de pabo?",
                "answer": (
                    "Ja. Met een mbo-diploma op niveau 4 mag je een hbo-opleiding volgen, dus ook "
                    "de pabo. De pabo kan wel aanvullende eisen stellen, bijvoorbeeld aan je "
                    "kennis van bepaalde vakken.\n\n"
                    "Vraag de pabo van je keuze welke eisen voor jou gelden. Heb je de mbo-opleiding "
                    "onderwijsassistent gedaan, dan heb je al veel praktijkervaring: een mooie "
                    "basis voor de pabo."
                ),
                "sectors": ["po"],
                "tags": ["pabo", "mbo", "toelating"],
            },
            {
                "slug": "wat-is-zij-instroom",
                "topic": "Zij-instroom",
                "position": 1,
                "question": "Wat is zij-instroom precies?",
                "answer": (
                    "Zij-instroom is een route voor mensen met een hbo- of wo-diploma die de "
                    "overstap naar het onderwijs willen maken. Je werkt meteen op een school en "
                    "volgt daarnaast een opleidingstraject.\n\n"
                    "Het traject begint met een geschiktheidsonderzoek bij een pabo. Daarna heb je "
                    "maximaal twee jaar om je bevoegdheid te halen. Lees meer op onze pagina over "
                    "zij-instroom in het basisonderwijs."
                ),
                "sectors": ["po"],
                "tags": ["zij-instroom"],
            },
            {
                "slug": "wie-betaalt-zij-instroom",
                "topic": "Zij-instroom",
                "position": 2,
                "question": "Wie betaalt mijn zij-instroomtraject?",
                "answer": (
                    "De school die je aanneemt kan voor jou de **subsidie zij-instroom** "
                    "aanvragen. Die subsidie gaat naar de werkgever en is bedoeld voor je "
                    "opleiding en begeleiding. Vaak betaalt de school daarmee het "
                    "geschiktheidsonderzoek en de opleiding.\n\n"
                    "Maak hierover vooraf duidelijke afspraken met je werkgever. Vraag ook naar de "
                    "actuele bedragen: die kunnen per jaar veranderen."
                ),
                "sectors": ["po"],
                "tags": ["zij-instroom", "subsidie", "kosten"],
            },
            {
                "slug": "salaris-leraar-basisonderwijs",
                "topic": "Salaris en arbeidsvoorwaarden",
                "position": 1,
                "question": "Wat verdien ik als leraar in het basisonderwijs?",
                "answer": (
                    "Je salaris is vastgelegd in de cao primair onderwijs. Hoeveel je verdient, "
                    "hangt af van je functie en je ervaring: elk jaar stijg je een stap in je "
                    "schaal, tot je het maximum bereikt.\n\n"
                    "Naast je salaris krijg je onder meer:\n\n"
                    "- vakantietoelage en een eindejaarsuitkering;\n"
                    "- pensioenopbouw bij het ABP;\n"
                    "- ruimte voor scholing en professionalisering.\n\n"
                    "Vraag naar de actuele bedragen bij het schoolbestuur of kijk in de cao."
                ),
                "sectors": ["po"],
                "tags": ["salaris", "cao"],
            },
            {
                "_status": "draft",
                "slug": "werken-in-deeltijd",
                "topic": "Salaris en arbeidsvoorwaarden",
                "position": 2,
                "question": "Kan ik in deeltijd werken in het basisonderwijs?",
                "answer": (
                    "Ja, dat kan. Veel leraren in het basisonderwijs werken in deeltijd, "
                    "bijvoorbeeld drie of vier dagen per week. Soms deel je een groep met een "
                    "collega (duobaan).\n\n"
                    "Wil je juist meer uren werken? Ook dat is vaak welkom. Bespreek je wensen in "
                    "het sollicitatiegesprek."
                ),
                "sectors": ["po"],
                "tags": ["deeltijd", "werktijden"],
            },
            {
                "slug": "meeloopdag-aanvragen",
                "topic": "Het loket",
                "position": 1,
                "question": "Hoe kan ik een dag meelopen op een basisschool?",
                "answer": (
                    "Vul het aanmeldformulier voor een meeloopdag in op deze website. Vertel ons "
                    "in welke plaats je wilt meelopen en in welke groep je het liefst kijkt. Wij "
                    "zoeken een school bij een van de aangesloten besturen en nemen contact met je "
                    "op om een datum af te spreken.\n\n"
                    "Een meeloopdag is gratis en vrijblijvend. Het is de beste manier om te "
                    "ontdekken of werken in het basisonderwijs bij je past."
                ),
                "sectors": ["po"],
                "tags": ["meeloopdag", "orientatie"],
            },
            {
                "slug": "woon-ik-in-jullie-regio",
                "topic": "Het loket",
                "position": 2,
                "question": "Ik woon niet in de provincie Utrecht. Kan ik toch bij jullie terecht?",
                "answer": (
                    "Voor de Klas richt zich op scholen in de provincie Utrecht. Wil je daar "
                    "werken, dan helpen we je graag, ook als je ergens anders woont.\n\n"
                    "Zoek je werk in een andere regio? Dan kun je terecht bij het regionale "
                    "onderwijsloket daar. Het landelijke Onderwijsloket helpt je het juiste loket "
                    "te vinden en geeft ook zelf advies over routes naar het onderwijs."
                ),
                "sectors": ["po"],
                "tags": ["regio", "onderwijsloket"],
            },
        ],
    },
    # ------------------------------------------------------------------------------------------
    # VOTA: a vo loket of six independent vo schools in Twente and the Achterhoek.
    # ------------------------------------------------------------------------------------------
    "vota": {
        "page": [
            {
                "slug": "docent-vo",
                "title": "Docent in het voortgezet onderwijs",
                "summary": (
                    "Als docent in het voortgezet onderwijs breng je jongeren van twaalf tot "
                    "achttien jaar jouw vak bij. Lees hoe je docent wordt bij een van de "
                    "VOTA-scholen."
                ),
                "body": (
                    "Als docent geef je les in jouw vak aan leerlingen van het vmbo, de havo of "
                    "het vwo. Je maakt je vak begrijpelijk en boeiend, en je helpt jongeren in een "
                    "belangrijke fase van hun leven. Vaak ben je ook mentor van een klas.\n\n"
                    "## Welke bevoegdheid heb je nodig?\n\n"
                    "- Met een **tweedegraads bevoegdheid** geef je les in het hele vmbo en in "
                    "de onderbouw van havo en vwo (en in het mbo).\n"
                    "- Met een **eerstegraads bevoegdheid** mag je ook lesgeven in de bovenbouw "
                    "van havo en vwo.\n\n"
                    "Je haalt een bevoegdheid via een lerarenopleiding of via zij-instroom als je "
                    "al een hbo- of wo-diploma hebt.\n\n"
                    "## Tekortvakken\n\n"
                    "Vooral voor vakken als techniek, wiskunde, natuurkunde, informatica en de "
                    "talen zoeken scholen in onze regio nieuwe collega's. Heb je kennis van een "
                    "van deze vakken? Neem dan zeker contact met ons op."
                ),
                "sectors": ["vo"],
                "professions": ["leraar"],
                "audiences": ["zij-instromers", "herintreders", "studenten"],
                "tags": ["beroep", "docent"],
            },
            {
                "slug": "toa-en-onderwijsassistent-vo",
                "title": "Onderwijsassistent en TOA in het vo",
                "summary": (
                    "Als onderwijsassistent of technisch onderwijsassistent (TOA) zorg je dat "
                    "docenten en leerlingen goed kunnen werken, in de klas, het lokaal of het "
                    "practicum."
                ),
                "body": (
                    "Een school draait niet alleen op docenten. Onderwijsassistenten en TOA's "
                    "zijn onmisbaar in het voortgezet onderwijs.\n\n"
                    "## Technisch onderwijsassistent (TOA)\n\n"
                    "Als TOA bereid je de practica voor bij vakken als biologie, scheikunde, "
                    "natuurkunde en NaSk. Je zet proeven klaar, beheert de materialen en let op "
                    "de veiligheid. Tijdens de les help je leerlingen bij het uitvoeren van "
                    "proeven. Een achtergrond in laboratoriumwerk of techniek is een pré.\n\n"
                    "## Onderwijsassistent\n\n"
                    "Als onderwijsassistent begeleid je leerlingen, bijvoorbeeld in een "
                    "studieruimte, bij het maken van opdrachten of bij de ondersteuning van "
                    "leerlingen die extra hulp nodig hebben.\n\n"
                    "Bekijk onze vacaturebank voor actuele vacatures bij de VOTA-scholen."
                ),
                "sectors": ["vo"],
                "professions": ["onderwijsassistent"],
                "audiences": ["zij-instromers", "herintreders", "studenten"],
                "tags": ["beroep", "ondersteuning", "practicum"],
            },
            {
                "slug": "instructeur",
                "title": "Instructeur",
                "summary": (
                    "Als instructeur begeleid je leerlingen bij praktijklessen, vaak in de "
                    "beroepsgerichte vakken van het vmbo. Je vakmanschap is je grootste kracht."
                ),
                "body": (
                    "Werk je in de techniek, de zorg, de horeca of een ander praktisch vak? Dan "
                    "kun je als instructeur je vakkennis doorgeven aan de volgende generatie. Je "
                    "werkt samen met een docent en begeleidt leerlingen in het praktijklokaal of "
                    "de werkplaats.\n\n"
                    "## Wat doe je?\n\n"
                    "- Je laat leerlingen zien hoe ze vakkundig en veilig werken.\n"
                    "- Je begeleidt leerlingen tijdens praktijkopdrachten.\n"
                    "- Je zorgt dat het lokaal, de gereedschappen en de materialen op orde zijn.\n\n"
                    "## Wat vragen scholen?\n\n"
                    "Meestal vragen scholen een mbo-diploma in een passend vakgebied en "
                    "praktijkervaring. De eisen verschillen per functie; kijk goed in de "
                    "vacature. Smaakt het naar meer? Dan kun je later doorgroeien naar docent."
                ),
                "sectors": ["vo"],
                "professions": ["instructeur"],
                "audiences": ["zij-instromers", "herintreders"],
                "tags": ["beroep", "vmbo", "praktijk"],
            },
            {
                "_status": "draft",
                "slug": "schoolleider-vo",
                "title": "Schoolleider in het voortgezet onderwijs",
                "summary": (
                    "Als teamleider, afdelingsleider of directeur geef je richting aan het "
                    "onderwijs en aan de mensen die het maken."
                ),
                "body": (
                    "Schoolleiders in het voortgezet onderwijs werken op verschillende niveaus: "
                    "als teamleider of afdelingsleider van een deel van de school, of als "
                    "directeur of rector van de hele school.\n\n"
                    "## Wat doe je?\n\n"
                    "- Je geeft leiding aan docenten en ondersteunend personeel.\n"
                    "- Je werkt aan de kwaliteit van het onderwijs en de resultaten van "
                    "leerlingen.\n"
                    "- Je bent het gezicht van je afdeling of school voor ouders en partners.\n\n"
                    "## Hoe word je schoolleider?\n\n"
                    "De meeste schoolleiders zijn eerst docent geweest en groeien via een rol als "
                    "coördinator of teamleider door. Een opleiding voor schoolleiders helpt je "
                    "daarbij. Vraag de VOTA-scholen naar hun leiderschapstrajecten."
                ),
                "sectors": ["vo"],
                "professions": ["schoolleider"],
                "audiences": ["onderwijspersoneel"],
                "tags": ["beroep", "leidinggeven"],
            },
            {
                "slug": "over-vota",
                "title": "Over VOTA",
                "summary": (
                    "VOTA is het regionale onderwijsloket van zes zelfstandige scholen voor "
                    "voortgezet onderwijs in Twente en de Achterhoek."
                ),
                "body": (
                    "Bij VOTA werken zes zelfstandige scholen voor voortgezet onderwijs in Twente "
                    "en de Achterhoek samen. Samen zorgen we voor goed onderwijs in de regio, nu "
                    "en in de toekomst. Daarvoor zoeken we collega's, en we zorgen goed voor de "
                    "collega's die we al hebben.\n\n"
                    "## Wat biedt VOTA?\n\n"
                    "- **De vacaturebank** met vacatures van alle zes scholen op één plek.\n"
                    "- **Een e-portfolio**: maak een profiel aan en laat de scholen zien wie je "
                    "bent en wat je kunt. Jij bepaalt wie je portfolio kan zien.\n"
                    "- **Een gezamenlijke vervangingspool**: als invaller werk je op de scholen "
                    "waar je op dat moment nodig bent.\n"
                    "- **Advies over routes** naar het onderwijs, zoals zij-instroom en de "
                    "lerarenopleidingen.\n\n"
                    "## Aandacht voor wie er al werkt\n\n"
                    "VOTA investeert ook in het behoud van personeel. Medewerkers van de "
                    "aangesloten scholen kunnen meedoen aan vitaliteitstrajecten, workshops en "
                    "groepstrainingen.\n\n"
                    "Heb je een vraag? Stel hem via het contactformulier op deze site."
                ),
                "sectors": ["vo"],
                "professions": [],
                "audiences": [
                    "zij-instromers",
                    "herintreders",
                    "studenten",
                    "onderwijspersoneel",
                    "werkgevers",
                ],
                "tags": ["over-ons", "loket"],
            },
        ],
        "route": [
            {
                "slug": "zij-instroom-vo",
                "title": "Zij-instroom in het voortgezet onderwijs",
                "kind": "lateral_entry",
                "summary": (
                    "Heb je een hbo- of wo-diploma en kennis van een schoolvak? Met zij-instroom "
                    "ga je meteen aan het werk als docent en haal je in maximaal twee jaar je "
                    "bevoegdheid."
                ),
                "body": (
                    "Zij-instroom is de route voor professionals met een hbo- of wo-diploma die "
                    "docent willen worden in het vak dat bij hun achtergrond past. Je werkt vanaf "
                    "het begin op een van de VOTA-scholen en volgt daarnaast een traject bij een "
                    "lerarenopleiding.\n\n"
                    "## Zo werkt het\n\n"
                    "Je start met een geschiktheidsonderzoek bij een lerarenopleiding. Daarin kijkt "
                    "de opleiding naar je vakkennis en je didactische vaardigheden. Je krijgt een "
                    "opleidingsplan op maat en hebt maximaal twee jaar om je bevoegdheid te halen, "
                    "meestal een tweedegraads bevoegdheid.\n\n"
                    "## Kosten\n\n"
                    "De school die je aanneemt kan de subsidie zij-instroom aanvragen voor je "
                    "opleiding en begeleiding. Vraag naar de actuele bedragen en maak vooraf "
                    "goede afspraken met de school.\n\n"
                    "## Goed om te weten\n\n"
                    "- Vooral in tekortvakken zoals techniek, wiskunde en de exacte vakken zijn "
                    "zij-instromers welkom.\n"
                    "- Je vakkennis moet passen bij het vak dat je gaat geven; het "
                    "geschiktheidsonderzoek maakt duidelijk of dat zo is."
                ),
                "sectors": ["vo"],
                "professions": ["leraar"],
                "duration": "Maximaal 2 jaar naast je baan op school",
                "durationMonths": 24,
                "cost": "Meestal betaald door de school, die de subsidie zij-instroom kan aanvragen",
                "costEuros": None,
                "conditions": [
                    "Een afgerond hbo- of wo-diploma (bachelor of master)",
                    "Vakkennis die past bij het schoolvak dat je gaat geven",
                    "Een positief geschiktheidsonderzoek bij een lerarenopleiding",
                    "Een baan (arbeidsovereenkomst) bij een school voor voortgezet onderwijs",
                    "Een verklaring omtrent het gedrag (VOG)",
                ],
                "steps": [
                    {
                        "title": "Maak je e-portfolio",
                        "description": "Laat in de VOTA-vacaturebank zien wie je bent, welke "
                        "opleiding je hebt en welk vak je wilt geven.",
                    },
                    {
                        "title": "Vind een school",
                        "description": "Reageer op een vacature of word benaderd door een van de "
                        "zes scholen.",
                    },
                    {
                        "title": "Doe het geschiktheidsonderzoek",
                        "description": "Een lerarenopleiding stelt vast wat je al kunt en maakt "
                        "samen met jou en de school een opleidingsplan.",
                    },
                    {
                        "title": "Werk en leer",
                        "description": "In maximaal twee jaar combineer je lesgeven met je "
                        "opleiding, begeleid door een ervaren collega.",
                    },
                    {
                        "title": "Bevoegd docent",
                        "description": "Na een succesvolle afronding ben je bevoegd docent in "
                        "jouw vak.",
                    },
                ],
                "onderwijsloketUrl": "https://www.onderwijsloket.com/",
                "tags": ["zij-instroom", "overstappen"],
            },
            {
                "slug": "tweedegraads-lerarenopleiding-deeltijd",
                "title": "Tweedegraads lerarenopleiding in deeltijd",
                "kind": "teacher_training",
                "summary": (
                    "Met een tweedegraads lerarenopleiding haal je een bevoegdheid voor het vmbo, "
                    "de onderbouw van havo en vwo en het mbo. In deeltijd combineer je de "
                    "opleiding met werk."
                ),
                "body": (
                    "De tweedegraads lerarenopleiding is een hbo-bachelor in een schoolvak, "
                    "bijvoorbeeld Nederlands, wiskunde of techniek. Veel hogescholen bieden de "
                    "opleiding ook in deeltijd aan, zodat je kunt blijven werken.\n\n"
                    "## Wat mag je met een tweedegraads bevoegdheid?\n\n"
                    "- lesgeven in alle leerjaren van het vmbo;\n"
                    "- lesgeven in de onderbouw van havo en vwo;\n"
                    "- lesgeven in het mbo.\n\n"
                    "## Verkort studeren\n\n"
                    "Heb je al een hbo- of wo-diploma in een verwant vakgebied? Dan krijg je vaak "
                    "vrijstellingen en ben je sneller klaar. Vraag de opleiding naar de "
                    "mogelijkheden.\n\n"
                    "Werk je al als onbevoegd docent op een van de VOTA-scholen? Bespreek met je "
                    "leidinggevende hoe de school je studie kan ondersteunen."
                ),
                "sectors": ["vo"],
                "professions": ["leraar"],
                "duration": "Meestal 4 jaar in deeltijd; korter met vrijstellingen",
                "durationMonths": 48,
                "cost": "Collegegeld; vraag de opleiding welk tarief voor jou geldt",
                "costEuros": None,
                "conditions": [
                    "Een havo-, vwo- of mbo-4-diploma (of een toelatingsonderzoek als je 21 jaar "
                    "of ouder bent en geen passend diploma hebt)",
                    "Voor de deeltijdopleiding vaak een werk- of stageplek op een school; vraag "
                    "de opleiding naar de eisen",
                    "Een verklaring omtrent het gedrag (VOG)",
                ],
                "steps": [
                    {
                        "title": "Kies je vak",
                        "description": "Welk vak past bij je kennis en interesse? Let ook op de "
                        "tekortvakken in onze regio.",
                    },
                    {
                        "title": "Vergelijk hogescholen",
                        "description": "Bekijk welke hogescholen het vak in deeltijd aanbieden en "
                        "bezoek een voorlichting.",
                    },
                    {
                        "title": "Regel een werkplek",
                        "description": "Via de VOTA-vacaturebank vind je scholen die een "
                        "werk- of stageplek bieden.",
                    },
                    {
                        "title": "Meld je aan",
                        "description": "Schrijf je in via Studielink en laat je vrijstellingen "
                        "vaststellen.",
                    },
                ],
                "onderwijsloketUrl": "https://www.onderwijsloket.com/",
                "tags": ["lerarenopleiding", "tweedegraads", "deeltijd"],
            },
            {
                "slug": "eerstegraads-lerarenopleiding",
                "title": "Eerstegraads of universitaire lerarenopleiding",
                "kind": "teacher_training",
                "summary": (
                    "Met een eerstegraads bevoegdheid mag je lesgeven op alle niveaus van het "
                    "voortgezet onderwijs, ook in de bovenbouw van havo en vwo."
                ),
                "body": (
                    "Wil je lesgeven in de bovenbouw van havo en vwo, bijvoorbeeld aan "
                    "examenklassen? Dan heb je een eerstegraads bevoegdheid nodig. Daarvoor zijn "
                    "twee veelgebruikte routes.\n\n"
                    "## Universitaire lerarenopleiding\n\n"
                    "Heb je een wo-master in een vakgebied dat aansluit bij een schoolvak? Dan kun "
                    "je een universitaire lerarenopleiding volgen: een educatieve master van "
                    "ongeveer een jaar voltijd, of langer in deeltijd.\n\n"
                    "## Hbo-master na een tweedegraads bevoegdheid\n\n"
                    "Ben je al tweedegraads docent? Dan kun je met een hbo-masteropleiding in je "
                    "vak doorgroeien naar een eerstegraads bevoegdheid, meestal in deeltijd naast "
                    "je werk.\n\n"
                    "Welke route past bij jou? De toelatingseisen verschillen per opleiding en per "
                    "vak. Vraag de opleiding om advies, of neem contact met ons op."
                ),
                "sectors": ["vo"],
                "professions": ["leraar"],
                "duration": "Ongeveer 1 jaar voltijd (universitair), langer in deeltijd",
                "durationMonths": 12,
                "cost": "Collegegeld; vraag de opleiding welk tarief voor jou geldt",
                "costEuros": None,
                "conditions": [
                    "Voor de universitaire lerarenopleiding: een wo-master die aansluit bij het "
                    "schoolvak",
                    "Voor de hbo-master: meestal een tweedegraads bevoegdheid in hetzelfde vak",
                    "Praktijkervaring op een school tijdens de opleiding",
                ],
                "steps": [
                    {
                        "title": "Check je vooropleiding",
                        "description": "Ga na of je master of tweedegraads bevoegdheid aansluit "
                        "bij het vak dat je wilt geven.",
                    },
                    {
                        "title": "Kies een opleiding",
                        "description": "Vergelijk universitaire lerarenopleidingen en "
                        "hbo-masters en vraag een toelatingsgesprek aan.",
                    },
                    {
                        "title": "Zoek een school",
                        "description": "Tijdens de opleiding doe je praktijkervaring op; de "
                        "VOTA-scholen bieden daarvoor plekken.",
                    },
                    {
                        "title": "Rond af",
                        "description": "Met je diploma ben je eerstegraads bevoegd en kun je op "
                        "alle niveaus lesgeven.",
                    },
                ],
                "onderwijsloketUrl": "https://www.onderwijsloket.com/",
                "tags": ["lerarenopleiding", "eerstegraads", "master"],
            },
            {
                "_status": "draft",
                "slug": "herintreding-vo",
                "title": "Herintreden in het voortgezet onderwijs",
                "kind": "re_entry",
                "summary": (
                    "Ben je bevoegd docent en wil je terug voor de klas? Je bevoegdheid blijft "
                    "geldig. De VOTA-scholen verwelkomen je graag terug."
                ),
                "body": (
                    "Misschien heb je een tijd buiten het onderwijs gewerkt, of een pauze genomen. "
                    "Je lesbevoegdheid vervalt niet: je kunt dus gewoon weer solliciteren.\n\n"
                    "## Een zachte landing\n\n"
                    "- Begin als invaller in de gezamenlijke vervangingspool en maak kennis met "
                    "verschillende scholen.\n"
                    "- Loop een dag mee met een sectie van jouw vak.\n"
                    "- Fris je kennis op met een cursus over bijvoorbeeld nieuwe lesmethodes of "
                    "digitale middelen.\n\n"
                    "Maak een e-portfolio aan in de VOTA-vacaturebank, zodat de scholen weten dat "
                    "je beschikbaar bent."
                ),
                "sectors": ["vo"],
                "professions": ["leraar"],
                "duration": "Verschilt per persoon; vaak kun je direct beginnen",
                "durationMonths": None,
                "cost": "Meestal geen kosten; vraag de school naar vergoeding van een opfriscursus",
                "costEuros": None,
                "conditions": [
                    "Een lesbevoegdheid voor het voortgezet onderwijs",
                    "Een verklaring omtrent het gedrag (VOG)",
                ],
                "steps": [
                    {
                        "title": "Maak je e-portfolio",
                        "description": "Laat zien welk vak je geeft en hoeveel uur je "
                        "beschikbaar bent.",
                    },
                    {
                        "title": "Kies je start",
                        "description": "Solliciteer op een vacature of meld je aan voor de "
                        "vervangingspool.",
                    },
                    {
                        "title": "Fris je kennis op",
                        "description": "Bespreek met je nieuwe school welke scholing of "
                        "begeleiding je helpt.",
                    },
                ],
                "onderwijsloketUrl": "https://www.onderwijsloket.com/",
                "tags": ["herintreding", "terugkeren"],
            },
        ],
        "faq": [
            {
                "slug": "verschil-eerste-en-tweedegraads",
                "topic": "Bevoegdheid",
                "position": 1,
                "question": "Wat is het verschil tussen een eerste- en een tweedegraads bevoegdheid?",
                "answer": (
                    "Met een **tweedegraads bevoegdheid** mag je lesgeven in het hele vmbo, in de "
                    "onderbouw van havo en vwo en in het mbo.\n\n"
                    "Met een **eerstegraads bevoegdheid** mag je op alle niveaus van het "
                    "voortgezet onderwijs lesgeven, dus ook in de bovenbouw van havo en vwo.\n\n"
                    "Een tweedegraads bevoegdheid haal je meestal met een hbo-bachelor of via "
                    "zij-instroom. Voor een eerstegraads bevoegdheid volg je een universitaire "
                    "lerarenopleiding of een hbo-master."
                ),
                "sectors": ["vo"],
                "tags": ["bevoegdheid"],
            },
            {
                "slug": "lesgeven-zonder-bevoegdheid",
                "topic": "Bevoegdheid",
                "position": 2,
                "question": "Mag ik lesgeven zonder bevoegdheid?",
                "answer": (
                    "In principe heb je een bevoegdheid nodig om zelfstandig les te geven. In "
                    "sommige situaties mag een school je tijdelijk aannemen zonder bevoegdheid, "
                    "bijvoorbeeld als je een lerarenopleiding volgt of via zij-instroom je "
                    "bevoegdheid haalt.\n\n"
                    "De regels zijn precies vastgelegd. De school weet welke mogelijkheden er "
                    "zijn; vraag het in je sollicitatiegesprek."
                ),
                "sectors": ["vo"],
                "tags": ["bevoegdheid", "onbevoegd"],
            },
            {
                "slug": "zij-instromen-in-welk-vak",
                "topic": "Zij-instroom",
                "position": 1,
                "question": "In welk vak kan ik zij-instromen?",
                "answer": (
                    "Je kunt zij-instromen in een vak dat past bij je opleiding en werkervaring. "
                    "Een ingenieur wordt bijvoorbeeld docent natuurkunde of techniek, een "
                    "econoom docent economie. Het geschiktheidsonderzoek maakt duidelijk of je "
                    "vakkennis voldoende aansluit.\n\n"
                    "De VOTA-scholen zoeken vooral zij-instromers in tekortvakken, zoals:\n\n"
                    "- techniek en de beroepsgerichte vakken in het vmbo;\n"
                    "- wiskunde, natuurkunde en scheikunde;\n"
                    "- informatica;\n"
                    "- Nederlands en de moderne vreemde talen."
                ),
                "sectors": ["vo"],
                "tags": ["zij-instroom", "tekortvakken"],
            },
            {
                "slug": "wie-ziet-mijn-e-portfolio",
                "topic": "E-portfolio en vacatures",
                "position": 1,
                "question": "Wie kan mijn e-portfolio zien?",
                "answer": (
                    "Jij bepaalt wie je e-portfolio ziet. Je kunt het verborgen houden, alleen "
                    "zichtbaar maken voor VOTA of delen met de aangesloten scholen. Je "
                    "contactgegevens worden pas gedeeld als jij dat goedvindt.\n\n"
                    "Je kunt je portfolio op elk moment aanpassen, verbergen of verwijderen. We "
                    "bewaren je gegevens niet langer dan nodig."
                ),
                "sectors": ["vo"],
                "tags": ["e-portfolio", "privacy"],
            },
            {
                "slug": "hoe-werkt-de-vervangingspool",
                "topic": "Vervangingspool",
                "position": 1,
                "question": "Hoe werkt de gezamenlijke vervangingspool?",
                "answer": (
                    "De zes VOTA-scholen hebben samen één vervangingspool. Als een docent ziek is "
                    "of met verlof gaat, kan de school een invaller uit de pool vragen.\n\n"
                    "Voor jou betekent dat:\n\n"
                    "- je werkt op de scholen waar je op dat moment nodig bent;\n"
                    "- je leert verschillende scholen en teams kennen;\n"
                    "- je geeft zelf aan in welke vakken en op welke dagen je beschikbaar bent.\n\n"
                    "Interesse? Geef in je e-portfolio aan dat je wilt invallen."
                ),
                "sectors": ["vo"],
                "tags": ["vervangingspool", "invallen"],
            },
            {
                "_status": "draft",
                "slug": "vota-voor-medewerkers",
                "topic": "Werken bij VOTA",
                "position": 1,
                "question": "Wat doet VOTA voor mensen die al op een van de scholen werken?",
                "answer": (
                    "VOTA investeert in het behoud en de duurzame inzetbaarheid van medewerkers. "
                    "Als je werkt op een van de aangesloten scholen, kun je meedoen aan:\n\n"
                    "- individuele vitaliteitstrajecten;\n"
                    "- workshops;\n"
                    "- groepstrainingen.\n\n"
                    "Vraag je leidinggevende naar het actuele aanbod."
                ),
                "sectors": ["vo"],
                "tags": ["vitaliteit", "behoud"],
            },
        ],
    },
}
