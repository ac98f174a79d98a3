/** Word lists for the French tenant generator: accents, compound and foreign-origin names on purpose. */

export const FEMALE_FIRST_NAMES = [
  'Éloïse', 'Hélène', 'Bérénice', 'Zoé', 'Maëlle', 'Chloé', 'Léa', 'Camille', 'Inès', 'Manon', 'Céline', 'Anaïs',
  'Noémie', 'Agnès', 'Clémence', 'Françoise', 'Gaëlle', 'Mégane', 'Océane', 'Adèle', 'Joséphine', 'Léonie',
  'Marie-Claire', 'Anne-Sophie', 'Sarah', 'Fatima', 'Aïcha', 'Yasmine', 'Julie', 'Émilie', 'Sophie', 'Lucie',
  'Mathilde', 'Pauline', 'Margaux', 'Solène', 'Capucine', 'Louise', 'Élodie', 'Nadège', 'Thi Hoa', 'Linh',
];

export const MALE_FIRST_NAMES = [
  'François', 'Noël', 'Joël', 'Jérôme', 'Stéphane', 'Benoît', 'Loïc', 'Gaël', 'Anaël', 'Hervé', 'Théo', 'Léo',
  'Mathéo', 'Raphaël', 'Gaétan', 'Cédric', 'Frédéric', 'Sébastien', 'Jean-Baptiste', 'Jean-Luc', 'Pierre-Yves',
  'Thomas', 'Nicolas', 'Julien', 'Antoine', 'Mehdi', 'Karim', 'Youssef', 'Mamadou', 'Hugo', 'Lucas', 'Maxime',
  'Arnaud', 'Rémi', 'Aurélien', 'Grégoire', 'Baptiste', 'Étienne', 'Quentin', 'Minh', 'Paolo', 'Killian',
];

export const LAST_NAMES = [
  'Lefèvre', 'Dubois', 'Mercier', 'Nguyen', 'Da Silva', 'Benali', 'Müller', 'Martin', 'Bernard', 'Durand',
  'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux',
  'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Guérin', 'Boyer', 'Chevalier', 'François', 'Légaré',
  'Gauthier', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Hénin', 'Mathieu', 'Rousseau', 'Blanc',
  'Faure', 'Lemaître', 'Dupont', 'Bonnet', 'Fontaine', 'Brunet', 'Rivière', 'Lucas', "D'Almeida", 'Le Goff',
  'Le Gall', 'Kerbrat', 'Bouchard', 'Haddad', 'Traoré', 'Diallo', 'Tran', 'Pham', 'Schmitt', 'Weiß',
  'Ferreira', 'Dos Santos', 'Rossi', 'Caron', 'Barbier', 'Aubert', 'Noël', 'Joly', 'Lambert', 'Dumont',
  'Gaillard', 'Rolland', 'Besnard', 'Prévost', 'Étienne', 'Cohen', 'Ben Salah', 'Ouattara', 'Lacroix', 'Marchand',
];

export interface DepartmentSpec {
  name: string;
  /** Short code for cost centers. */
  code: string;
  /** Relative size. */
  weight: number;
  headTitle: string;
  titles: string[];
}

export const DEPARTMENTS: DepartmentSpec[] = [
  { name: 'Direction générale', code: 'DG', weight: 1, headTitle: 'Directeur·rice général·e délégué·e', titles: ['Assistant·e de direction', 'Chargé·e de mission', 'Chef·fe de cabinet'] },
  { name: 'Finance', code: 'FIN', weight: 6, headTitle: 'Directeur·rice administratif·ve et financier·ère', titles: ['Comptable', 'Contrôleur·se de gestion', 'Trésorier·ère', 'Responsable comptable', 'Analyste financier·ère'] },
  { name: 'Ressources humaines', code: 'RH', weight: 5, headTitle: 'Directeur·rice des ressources humaines', titles: ['Chargé·e de recrutement', 'Gestionnaire paie', 'Responsable RH', 'Chargé·e de développement RH', 'Assistant·e RH'] },
  { name: 'Commercial', code: 'COM', weight: 14, headTitle: 'Directeur·rice commercial·e', titles: ['Commercial·e terrain', 'Ingénieur·e commercial·e', 'Chargé·e d\'affaires', 'Responsable grands comptes', 'Business developer'] },
  { name: 'R&D', code: 'RD', weight: 18, headTitle: 'Directeur·rice technique', titles: ['Développeur·se full stack', 'Ingénieur·e logiciel', 'Architecte logiciel', 'Ingénieur·e QA', 'Product owner', 'Data scientist', 'Ingénieur·e DevOps'] },
  { name: 'Marketing', code: 'MKT', weight: 6, headTitle: 'Directeur·rice marketing', titles: ['Chef·fe de produit', 'Chargé·e de communication', 'Responsable marketing digital', 'Graphiste'] },
  { name: 'Juridique', code: 'JUR', weight: 3, headTitle: 'Directeur·rice juridique', titles: ['Juriste', 'Juriste droit social', 'Paralegal'] },
  { name: 'Support client', code: 'SUP', weight: 12, headTitle: 'Responsable du support client', titles: ['Chargé·e de clientèle', 'Technicien·ne support', 'Conseiller·ère client', 'Responsable d\'équipe support'] },
  { name: 'Logistique', code: 'LOG', weight: 8, headTitle: 'Directeur·rice des opérations', titles: ['Magasinier·ère', 'Préparateur·rice de commandes', 'Responsable logistique', 'Approvisionneur·se'] },
];

export const CEO_TITLE = 'Président·e-directeur·rice général·e';

export const SCREENING_PACKAGES = ['Light - Consultants externes', 'Basic', 'Standard', 'Executive', 'Update', 'Update +'];
export const SCREENING_REASON_CATEGORIES = ['(potentielle) Employé·e', 'Consultant externe'];
export const SCREENING_REASONS = ['Shortlist', 'Négociation de contrat en cours', 'Offre signée', 'Emploi en cours', 'Mise à jour du dossier'];
export const ORDER_STATUSES = { toOrder: 'Dossier à commander', created: 'Dossier crée par Aequivalent' } as const;
